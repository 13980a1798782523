"""Tests of calculators/ run as a widget or a model, with data/ loaded."""
