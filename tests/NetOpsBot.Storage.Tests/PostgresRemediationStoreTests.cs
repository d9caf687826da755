using NetOpsBot.Storage.Tests.Infrastructure;
using Npgsql;

namespace NetOpsBot.Storage.Tests;

/// <summary>The remediation contract on a real PostgreSQL server: a fresh database per test.</summary>
[Collection(PostgresServerGroup.Name)]
public sealed class PostgresRemediationStoreTests(PostgresServer server) : RemediationStoreContractTests
{
    private string _connectionString = "";

    protected override async Task<StorageOptions> CreateDatabaseAsync()
    {
        _connectionString = await server.CreateDatabaseAsync();
        return new StorageOptions { Provider = StorageProvider.Postgres, ConnectionString = _connectionString };
    }

    protected override Task DropDatabaseAsync()
    {
        NpgsqlConnection.ClearAllPools();
        return Task.CompletedTask;
    }

    // A distinct Application Name gives each replica its own connection pool, as separate processes would have.
    protected override StorageOptions ForReplica(string name) =>
        new() { Provider = StorageProvider.Postgres, ConnectionString = _connectionString + ";Application Name=replica-" + name };

    protected override async Task<int> ExecuteRawAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteNonQueryAsync();
    }
}
