from tests.support import GraphQLClient


async def test_me_is_the_admin_of_vigil_admin_token(client: GraphQLClient) -> None:
    data = await client.data("{ me { name role } }")
    assert data["me"] == {"name": "admin", "role": "ADMIN"}
