"""Free text linked to the taxonomy, text normalisation, words in fr/nl/en. Pure: no database."""
