using System.ComponentModel.DataAnnotations;
using System.Data.Common;

namespace NetOpsBot.Storage;

/// <summary>Where NetOpsBot keeps its state. Bound from <see cref="SectionName"/>.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "NetOps:Storage";

    /// <summary>The database engine.</summary>
    /// <value>Default: <see cref="StorageProvider.Sqlite"/>.</value>
    [EnumDataType(typeof(StorageProvider))]
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>
    /// ADO.NET connection string: <c>Data Source=data/netopsbot.db</c> for SQLite,
    /// <c>Host=…;Database=…;Username=…;Password=…</c> for PostgreSQL.
    /// </summary>
    /// <value>Default: <c>Data Source=data/netopsbot.db</c> (a file beside the host's working directory).</value>
    [Required]
    public string ConnectionString { get; set; } = "Data Source=data/netopsbot.db";

    /// <summary>
    /// PostgreSQL only: log in with a Microsoft Entra token (the host's managed identity) as the password,
    /// fetched and refreshed by the host; the connection string then names the role and has no password,
    /// and must verify the server (<c>SSL Mode=VerifyFull</c>) so that no token goes to an impostor.
    /// </summary>
    public bool PostgresEntraAuth { get; set; }

    /// <summary>Problems that must stop start-up, each naming the bad key; empty when the options are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!Enum.IsDefined(Provider))
        {
            errors.Add($"{SectionName}:Provider must be one of {string.Join(", ", Enum.GetNames<StorageProvider>())}");
        }

        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            errors.Add($"{SectionName}:ConnectionString is required");
            return errors;
        }

        DbConnectionStringBuilder parsed;
        try
        {
            parsed = new DbConnectionStringBuilder { ConnectionString = ConnectionString };
        }
        catch (ArgumentException)
        {
            // Never echo the value: it may hold a password.
            errors.Add($"{SectionName}:ConnectionString is not a valid connection string");
            return errors;
        }

        if (Provider == StorageProvider.Sqlite && !HasAny(parsed, "Data Source", "DataSource", "Filename"))
        {
            errors.Add($"{SectionName}:ConnectionString for Sqlite needs 'Data Source=<file>'");
        }

        if (Provider == StorageProvider.Postgres && !HasAny(parsed, "Host", "Server"))
        {
            errors.Add($"{SectionName}:ConnectionString for Postgres needs 'Host=<server>'");
        }

        if (PostgresEntraAuth)
        {
            if (Provider != StorageProvider.Postgres)
            {
                errors.Add($"{SectionName}:PostgresEntraAuth needs {SectionName}:Provider=Postgres");
            }

            if (HasAny(parsed, "Password", "PWD"))
            {
                errors.Add($"{SectionName}:ConnectionString must not hold a password when {SectionName}:PostgresEntraAuth is true (the token is the password)");
            }

            if (!parsed.TryGetValue("SSL Mode", out var mode) && !parsed.TryGetValue("SslMode", out mode)
                || !string.Equals(mode?.ToString()?.Replace(" ", string.Empty, StringComparison.Ordinal), "VerifyFull", StringComparison.OrdinalIgnoreCase))
            {
                errors.Add($"{SectionName}:ConnectionString needs 'SSL Mode=VerifyFull' when {SectionName}:PostgresEntraAuth is true (the token must only go to the verified server)");
            }
        }

        return errors;
    }

    private static bool HasAny(DbConnectionStringBuilder builder, params string[] keys) =>
        keys.Any(k => builder.TryGetValue(k, out var v) && !string.IsNullOrWhiteSpace(v?.ToString()));
}
