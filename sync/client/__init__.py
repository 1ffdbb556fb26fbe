"""The laptop's side of sync: enrollment and the push/pull exchange with the central office."""
