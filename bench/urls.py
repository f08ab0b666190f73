"""The product's URLs plus the bench floor (bench/floor.py): the URL conf of the bench and of
`make loadtest` only (bench/loadtest_settings.py), never of a deployment."""

from django.urls import path

from bench.floor import floor_view
from compliance.urls import urlpatterns as product_urlpatterns

FLOOR_URL = "/bench/floor/"

urlpatterns = [
    *product_urlpatterns,
    path(FLOOR_URL.strip("/") + "/", floor_view, name="bench_floor"),
]
