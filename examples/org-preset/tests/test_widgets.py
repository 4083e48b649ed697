from acme_widgets import widget_count


def test_widget_count() -> None:
    assert widget_count() == 3
