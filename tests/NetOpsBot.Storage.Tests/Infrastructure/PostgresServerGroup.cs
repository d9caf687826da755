namespace NetOpsBot.Storage.Tests.Infrastructure;

/// <summary>One PostgreSQL server for every test class that needs it.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresServerGroup : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}
