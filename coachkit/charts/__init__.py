"""Charts: pure functions that return plotly figures; the caller shows them."""
