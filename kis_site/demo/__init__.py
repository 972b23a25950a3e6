"""The example site's demo content: the two seed clubs (Nysa, Kędzierzyn-Koźle) as data."""
