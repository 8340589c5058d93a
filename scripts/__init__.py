"""Set-up, training and data-check scripts; importable as a package by eval/ and tests."""
