using NetOpsBot.Storage.Tests.Infrastructure;
using Npgsql;

namespace NetOpsBot.Storage.Tests;

/// <summary>The conversation store contract on a real PostgreSQL server: a fresh database per test.</summary>
[Collection(PostgresServerGroup.Name)]
public sealed class PostgresConversationStoreTests(PostgresServer server) : ConversationStoreContractTests
{
    protected override async Task<StorageOptions> CreateDatabaseAsync() =>
        new() { Provider = StorageProvider.Postgres, ConnectionString = await server.CreateDatabaseAsync() };

    protected override Task DropDatabaseAsync()
    {
        NpgsqlConnection.ClearAllPools();
        return Task.CompletedTask;
    }

    // A distinct Application Name gives each replica its own connection pool, as separate processes would have.
    protected override StorageOptions ForReplica(StorageOptions options, string name) =>
        new() { Provider = StorageProvider.Postgres, ConnectionString = options.ConnectionString + ";Application Name=replica-" + name };
}
