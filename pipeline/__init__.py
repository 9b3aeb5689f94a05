"""The stages of the pipeline as plain typed functions; `flows/` only orchestrates them."""
