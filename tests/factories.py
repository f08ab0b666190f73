"""factory_boy factories for the registry; every system they make passes the transition rules."""

import datetime

import factory
from django.contrib.auth import get_user_model

from registry.models import (
    Authority,
    Deployment,
    DossierStatus,
    InformationSystem,
    Membership,
    ReportingGroup,
    Role,
    Unit,
    UnitKind,
)


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    code = factory.Sequence(lambda n: f"U{n:04d}")
    name = factory.Sequence(lambda n: f"Tỉnh Thử nghiệm {n}")
    kind = UnitKind.PROVINCE
    group = ReportingGroup.PROVINCE
    sort_order = factory.Sequence(lambda n: n)


class SubUnitFactory(UnitFactory):
    kind = UnitKind.DEPARTMENT
    name = factory.Sequence(lambda n: f"Sở Thông tin và Truyền thông {n}")
    parent = factory.SubFactory(UnitFactory)


class SystemFactory(factory.django.DjangoModelFactory):
    """A system in drafting; the traits move it along the workflow."""

    class Meta:
        model = InformationSystem

    class Params:
        submitted = factory.Trait(
            dossier_status=DossierStatus.SUBMITTED,
            submitted_on=datetime.date(2024, 3, 1),
        )
        approved = factory.Trait(
            dossier_status=DossierStatus.APPROVED,
            submitted_on=datetime.date(2024, 3, 1),
            appraised_on=datetime.date(2024, 3, 20),
            decision_number=factory.Sequence(lambda n: f"{n}/QĐ-UBND"),
            decision_date=datetime.date(2024, 4, 1),
            approved_level=factory.SelfAttribute("proposed_level"),
            decision_authority=factory.LazyAttribute(
                lambda o: (
                    Authority.SPECIALISED_UNIT if o.proposed_level <= 2 else Authority.SYSTEM_OWNER
                )
            ),
            deployment=Deployment.PARTIAL,
        )
        deployed = factory.Trait(
            approved=True,
            deployment=Deployment.FULL,
            deployed_full_on=datetime.date(2024, 5, 1),
        )

    code = factory.Sequence(lambda n: f"SYS-{n:05d}")
    name = factory.Sequence(lambda n: f"Hệ thống quản lý văn bản {n}")
    owner = factory.SubFactory(UnitFactory)
    declared_on = datetime.date(2023, 1, 15)
    proposed_level = 2


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.invalid")
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", "pw-Secret-123")

    @factory.post_generation
    def saved(self, create, extracted, **kwargs):
        if create:
            self.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(UnitFactory)
    role = Role.OFFICER


def user_with_role(role, unit=None, **user_fields):
    user = UserFactory(**user_fields)
    Membership.objects.create(user=user, role=role, unit=unit)
    return user
