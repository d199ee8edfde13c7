"""A person who names their city gets their country's law and lines (real GeoNames data)."""

import pytest

from bot.cities import detect_city
from bot.jurisdictions import place_of


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("i'm in são paulo and my ex posted my photos", "BR"),
        ("I live in Sao Paulo", "BR"),
        ("someone from mumbai is threatening me", "IN"),
        ("estoy en cancún y me amenazan con publicar fotos", "MX"),
        ("I'm in Chicago, he shared my nudes", "US-IL"),
        ("Lagos. He says he will post the video", "NG"),
        ("我住在台北，前男友威脅要公開照片", "TW"),
    ],
)
def test_a_named_city_gives_its_place(text: str, place: str) -> None:
    assert place_of(text) == place


@pytest.mark.parametrize(
    "text",
    [
        "Charlotte shared my photos",  # a first name, not the city
        "that was nice of him but he still posted them",  # an everyday word
        "I am in Valencia",  # Spain and Venezuela both have a large Valencia
        "he wants money para no publicar",  # Spanish words that are also place names mid-sentence
        "my ex posted my photos on reddit",
    ],
)
def test_words_that_are_not_a_place_name_no_city(text: str) -> None:
    assert detect_city(text) is None


def test_a_named_state_or_country_wins_over_a_city() -> None:
    # "Paris, Texas": the state the person names is the law that applies.
    assert place_of("I'm in Paris, Texas") == "US-TX"


def test_the_kept_table_is_the_table_built_from_the_data(tmp_path, monkeypatch):
    # The table is kept on disk once built (a cold start was paying a second for it): what is
    # read back must be what the rules build, and a new cache directory is filled on first use.
    from bot import cities

    built = cities._build_city_places()
    monkeypatch.setattr(cities, "CACHE_DIR", tmp_path)
    cities.city_places.cache_clear()
    try:
        assert cities.city_places() == built and len(list(tmp_path.glob("city-places-*.json"))) == 1
        cities.city_places.cache_clear()
        assert cities.city_places() == built  # read back from the file
    finally:
        cities.city_places.cache_clear()
