"""The command line: the top floor, which imports every package and is imported by none."""
