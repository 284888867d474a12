from imports.command import ImportCommand


class Command(ImportCommand):
    kind_key = "sang-kien"
