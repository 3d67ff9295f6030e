"""The web face of Vigil: the Starlette app, the GraphQL schema, authentication."""
