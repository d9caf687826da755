using Microsoft.Data.Sqlite;

namespace NetOpsBot.Storage.Tests;

/// <summary>The remediation contract on SQLite: a fresh database file per test.</summary>
public sealed class SqliteRemediationStoreTests : RemediationStoreContractTests
{
    private readonly string _folder = Directory.CreateTempSubdirectory("netopsbot-sqlite-").FullName;

    private string File => Path.Combine(_folder, "netopsbot.db");

    protected override Task<StorageOptions> CreateDatabaseAsync() =>
        Task.FromResult(new StorageOptions { Provider = StorageProvider.Sqlite, ConnectionString = $"Data Source={File}" });

    protected override Task DropDatabaseAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    protected override StorageOptions ForReplica(string name) => Options;

    protected override async Task<int> ExecuteRawAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={File};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteNonQueryAsync();
    }
}
