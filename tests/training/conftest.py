"""Fixtures for the training service's tests."""
from __future__ import annotations

import pytest

from tests.training.helpers import CITY, GONGSHU


@pytest.fixture
def coordinator(suite):
    """A training coordinator of Gongshu district, as an API client."""
    return suite.api("training", suite.create_user("tc-gongshu", "training_coordinator", GONGSHU))


@pytest.fixture
def city_coordinator(suite):
    return suite.api("training", suite.create_user("tc-city", "training_coordinator", CITY))
