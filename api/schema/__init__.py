"""The GraphQL schema: types mirror the domain, resolvers stay thin."""
