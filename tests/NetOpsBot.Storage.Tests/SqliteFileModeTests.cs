using System.Runtime.Versioning;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace NetOpsBot.Storage.Tests;

/// <summary>Issue 13 item 4: the SQLite file and its WAL/SHM hold timelines and approvals, so they are 0600 whatever the umask.</summary>
[SupportedOSPlatform("linux")]
public sealed class SqliteFileModeTests : IDisposable
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly string _folder = Directory.CreateTempSubdirectory("netopsbot-mode-").FullName;

    private string Db => Path.Combine(_folder, "data", "netopsbot.db");

    [Fact]
    public async Task NewDatabase_FileWalAndShm_AreOwnerOnly()
    {
        await InitializeAsync();

        // A second connection writing while the first is pooled keeps the WAL and shared-memory files in place.
        await using var connection = new SqliteConnection($"Data Source={Db}");
        await connection.OpenAsync();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "CREATE TABLE mode_probe(x); INSERT INTO mode_probe VALUES (1);";
            await command.ExecuteNonQueryAsync();
        }

        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(Db));
        Assert.True(File.Exists(Db + "-wal"), "WAL mode should keep a -wal file while connections are open");
        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(Db + "-wal"));
        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(Db + "-shm"));
    }

    [Fact]
    public async Task DatabaseLeftReadableByAnOlderVersion_IsTightenedAtStart()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Db)!);
        await File.WriteAllBytesAsync(Db, []);
        File.SetUnixFileMode(Db, OwnerReadWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        await InitializeAsync();

        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(Db));
    }

    private async Task InitializeAsync()
    {
        var services = new ServiceCollection();
        services.AddSingleton(TimeProvider.System);
        services.AddLogging();
        services.AddNetOpsBotStorage(new StorageOptions { Provider = StorageProvider.Sqlite, ConnectionString = $"Data Source={Db}" });
        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<IStorageInitializer>().InitializeAsync(CancellationToken.None);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
