from imports.command import ImportCommand


class Command(ImportCommand):
    kind_key = "doan-vien"
