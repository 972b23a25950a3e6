"""Demo content: the two seed clubs (Nysa, Kędzierzyn-Koźle) as data, and their loader."""
