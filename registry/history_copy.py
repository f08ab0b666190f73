"""History rows of systems just bulk-created, copied by the database from the rows it holds.

simple-history's bulk_history_create builds a historical instance per system in Python and
prepares every value a second time: in an import of 7,000 new systems that was a third of the
run. The row it builds is the system's own columns plus who, when, why and from where, so one
INSERT ... SELECT per batch writes the very same rows (tests/imports/test_history_copy.py holds
the two to the same rows, column by column). Changes to existing systems keep simple-history's
bulk_update_with_history: each of those rows is built from values the database does not hold yet.
"""

from django.db import connection

BATCH = 1000  # ids per IN (...): well under every database's parameter limit


def copy_created_history(model, systems, values):
    """Write a creation ("+") history row for each saved instance in `systems`.

    `values` gives every other history column (history_date, history_user, the import
    batch…), keyed by field name; a column it leaves out is an error
    rather than a silent NULL, so a field added to the history model cannot go unrecorded."""
    pks = [system.pk for system in systems]
    if None in pks:
        raise ValueError("The systems must be saved, with their ids, before their history.")
    values = {"history_type": "+", **values}
    history = model.history.model
    tracked = {field.column for field in history.tracked_fields}
    columns, selected, params = [], [], []
    for field in history._meta.concrete_fields:
        if field.primary_key:
            continue  # history_id: the database numbers the rows
        columns.append(connection.ops.quote_name(field.column))
        if field.column in tracked:
            selected.append(connection.ops.quote_name(field.column))
            continue
        if field.name not in values:
            raise ValueError(f"No value for the history column {field.name!r}.")
        selected.append("%s")
        params.append(field.get_db_prep_save(_stored(field, values[field.name]), connection))
    # SQLite counts the values given with the ids against its limit on a statement's parameters.
    batch = min(BATCH, (connection.features.max_query_params or BATCH) - len(params))
    for start in range(0, len(pks), batch):
        _insert(model, history, columns, selected, params, pks[start : start + batch])


def _stored(field, value):
    # A foreign key is given as the related object (or None), as simple-history takes it.
    if field.is_relation and value is not None:
        return value.pk
    return value


def _insert(model, history, columns, selected, params, pks):
    pk_column = connection.ops.quote_name(model._meta.pk.column)
    sql = (
        f"INSERT INTO {connection.ops.quote_name(history._meta.db_table)} ({', '.join(columns)}) "
        f"SELECT {', '.join(selected)} FROM {connection.ops.quote_name(model._meta.db_table)} "
        f"WHERE {pk_column} IN ({', '.join(['%s'] * len(pks))}) ORDER BY {pk_column}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *pks])
