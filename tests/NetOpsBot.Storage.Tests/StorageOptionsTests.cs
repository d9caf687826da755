using Microsoft.Extensions.DependencyInjection;

namespace NetOpsBot.Storage.Tests;

public sealed class StorageOptionsTests
{
    [Fact]
    public void Validate_Defaults_AreValid()
    {
        Assert.Empty(new StorageOptions().Validate());
    }

    [Theory]
    [InlineData(StorageProvider.Sqlite, "", "ConnectionString is required")]
    [InlineData(StorageProvider.Sqlite, "Mode=ReadOnly", "needs 'Data Source=<file>'")]
    [InlineData(StorageProvider.Postgres, "Database=x;Password=secret", "needs 'Host=<server>'")]
    [InlineData((StorageProvider)7, "Data Source=x.db", "Provider must be one of")]
    public void Validate_BadOptions_NamesTheKey(StorageProvider provider, string connectionString, string expected)
    {
        var errors = new StorageOptions { Provider = provider, ConnectionString = connectionString }.Validate();

        var error = Assert.Single(errors);
        Assert.StartsWith(StorageOptions.SectionName + ":", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error, StringComparison.Ordinal);
    }

    [Fact]
    public void AddNetOpsBotStorage_InvalidOptions_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            new ServiceCollection().AddNetOpsBotStorage(new StorageOptions { Provider = StorageProvider.Postgres, ConnectionString = "Database=x" }));
        Assert.Contains("NetOps:Storage:ConnectionString", e.Message, StringComparison.Ordinal);
    }
}
