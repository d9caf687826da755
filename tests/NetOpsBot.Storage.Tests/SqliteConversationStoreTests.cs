using Microsoft.Data.Sqlite;

namespace NetOpsBot.Storage.Tests;

/// <summary>The conversation store contract on SQLite: a fresh database file per test.</summary>
public sealed class SqliteConversationStoreTests : ConversationStoreContractTests
{
    private readonly string _folder = Directory.CreateTempSubdirectory("netopsbot-sqlite-").FullName;

    protected override Task<StorageOptions> CreateDatabaseAsync() =>
        Task.FromResult(new StorageOptions { Provider = StorageProvider.Sqlite, ConnectionString = $"Data Source={Path.Combine(_folder, "netopsbot.db")}" });

    protected override Task DropDatabaseAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    protected override StorageOptions ForReplica(StorageOptions options, string name) => options;
}
