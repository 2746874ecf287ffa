"""Activities: sign-up, waiting list, QR check-in and check-out, volunteer hours."""
