"""Vigil's domain: entities, rules, use cases and the MongoDB repositories.

Nothing here knows about GraphQL or HTTP. One package per noun; each holds
``model.py`` (types and their validation), ``repository.py`` (the only code that
talks to the store for that noun) and ``service.py`` (use cases).
"""
