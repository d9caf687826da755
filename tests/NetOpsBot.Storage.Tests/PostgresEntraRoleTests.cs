using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Incidents;
using NetOpsBot.Storage.Tests.Infrastructure;
using NetOpsBot.Testing;
using Npgsql;

namespace NetOpsBot.Storage.Tests;

/// <summary>
/// A PostgreSQL server of its own, set up as on Azure after the deployment step: TLS on (a test CA), the database
/// netopsbot, and the host's role made by infra/azure/postgres-app-role.sql. On Azure that role is an Entra
/// principal and its password is an Entra access token; here it has a password, which must be proven over TLS.
/// </summary>
public sealed class EntraPostgres : IAsyncLifetime
{
    public const string AppRole = "netopsbot-host-id";
    private readonly PostgresServer _server = new();
    private string _dir = string.Empty;

    public PostgresServer Server => _server;

    /// <summary>The app role's password: what the Entra token is on Azure.</summary>
    public string Token { get; } = "tok-" + Guid.NewGuid().ToString("N");

    public string CaFile { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        await _server.InitializeAsync();
        _dir = Directory.CreateTempSubdirectory("netopsbot-pgtls-").FullName;
        CaFile = WriteCertificates(_dir);
        await using var admin = await OpenAsync(_server.ConnectionString("postgres"));
        var hba = (string)(await Scalar(admin, "SHOW hba_file"))!;

        // The app role must prove its password over TLS; everything else keeps the fixture's trust rule.
        await File.WriteAllTextAsync(hba, $"hostssl all \"{AppRole}\" 127.0.0.1/32 scram-sha-256\nhost all \"{AppRole}\" 127.0.0.1/32 reject\n" + await File.ReadAllTextAsync(hba));
        await Exec(admin, $"ALTER SYSTEM SET ssl_cert_file = '{_dir}/server.crt'");
        await Exec(admin, $"ALTER SYSTEM SET ssl_key_file = '{_dir}/server.key'");
        await Exec(admin, "ALTER SYSTEM SET ssl = on");
        await Exec(admin, "SELECT pg_reload_conf()");
        await Exec(admin, "CREATE DATABASE netopsbot");
        await Exec(admin, $"CREATE ROLE \"{AppRole}\" LOGIN PASSWORD '{Token}'");

        var script = Path.Combine(RepoPaths.Root, "infra", "azure", "postgres-app-role.sql");
        var (code, output) = await RunAsync("psql", "-X", "-q", "-h", "127.0.0.1", "-p", _server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", "postgres", "-d", "postgres", "-v", "app_role=" + AppRole, "-f", script);
        if (code != 0)
        {
            throw new InvalidOperationException("psql postgres-app-role.sql: " + output);
        }
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await _server.DisposeAsync();
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    internal static async Task<NpgsqlConnection> OpenAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return connection;
    }

    internal static async Task Exec(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    internal static async Task<object?> Scalar(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    /// <summary>A CA and a server certificate for 127.0.0.1 signed by it; returns the CA's PEM file.</summary>
    private static string WriteCertificates(string dir)
    {
        var now = TimeProvider.System.GetUtcNow();
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=netopsbot test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(1));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var server = request.Create(ca, now.AddDays(-1), now.AddDays(1), [1, 2, 3, 4]);

        var caFile = Path.Combine(dir, "ca.crt");
        File.WriteAllText(caFile, ca.ExportCertificatePem());
        File.WriteAllText(Path.Combine(dir, "server.crt"), server.ExportCertificatePem());
        var keyFile = Path.Combine(dir, "server.key");
        File.WriteAllText(keyFile, serverKey.ExportPkcs8PrivateKeyPem());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        if (Environment.UserName == "root")
        {
            // The server runs as the postgres OS user and insists on owning its key.
            using var chown = Process.Start("chown", ["-R", "postgres:postgres", dir])!;
            chown.WaitForExit();
        }

        return caFile;
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}

/// <summary>
/// Issue 13 item 8 against a real PostgreSQL server of its own (TLS on, password auth for the app role):
/// the host's role made by infra/azure/postgres-app-role.sql migrates and uses the store through
/// <c>PostgresEntraAuth</c> (the token comes from the password provider, the server is verified: VerifyFull
/// with the test CA), and can do nothing outside its schema.
/// </summary>
public sealed class PostgresEntraRoleTests(EntraPostgres pg) : IClassFixture<EntraPostgres>
{
    private const string AppRole = EntraPostgres.AppRole;
    private readonly PostgresServer _server = pg.Server;
    private readonly string _token = pg.Token;
    private readonly string _caFile = pg.CaFile;

    [Fact]
    public async Task EntraAuth_AppRoleFromTheScript_MigratesAndStoresThroughTheTokenProvider_OverVerifiedTls()
    {
        var asked = 0;
        await using var services = Storage(_token, () => asked++);

        await services.GetRequiredService<IStorageInitializer>().InitializeAsync(CancellationToken.None);
        var store = services.GetRequiredService<IIncidentStore>();
        var incident = Incident.Open(DeviceName.Parse("sw-access-12"), new ChatUser("webchat", "alice", "Alice"), new ChatChannel("webchat", "netops", null), DateTimeOffset.UnixEpoch);
        var created = await store.CreateAsync(incident, new TimelineEventDraft(TimelineEventKind.Requested, "alice", "asked", null, DateTimeOffset.UnixEpoch), "k1", CancellationToken.None);

        Assert.True(created.Created);
        Assert.True(asked >= 1);
        await using var admin = await EntraPostgres.OpenAsync(_server.ConnectionString("netopsbot"));
        Assert.Equal("netopsbot", await EntraPostgres.Scalar(admin, "SELECT schemaname FROM pg_tables WHERE tablename = 'incidents'"));
        Assert.Equal(AppRole, await EntraPostgres.Scalar(admin, "SELECT tableowner FROM pg_tables WHERE tablename = 'incidents'"));
        Assert.Equal(true, await EntraPostgres.Scalar(admin, "SELECT ssl FROM pg_stat_ssl JOIN pg_stat_activity USING (pid) WHERE usename = '" + AppRole + "' LIMIT 1"));
    }

    [Theory]
    [InlineData("CREATE ROLE intruder LOGIN")]
    [InlineData("CREATE DATABASE other")]
    [InlineData("CREATE TABLE public.planted (id int)")]
    [InlineData("CREATE SCHEMA other")]
    [InlineData("CREATE TEMP TABLE scratch (id int)")]
    [InlineData("ALTER ROLE \"netopsbot-host-id\" SUPERUSER")]
    [InlineData("SELECT pg_read_file('/etc/passwd')")]
    public async Task AppRole_OutsideItsSchema_IsRefused(string sql)
    {
        await using var app = await EntraPostgres.OpenAsync(AppConnectionString() + ";Password=" + _token);

        var ex = await Assert.ThrowsAsync<PostgresException>(() => EntraPostgres.Exec(app, sql));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, ex.SqlState);
    }

    [Fact]
    public async Task EntraAuth_WrongToken_OrAServerThatDoesNotMatchItsName_NoConnection()
    {
        await using (var wrong = Storage("not-the-token", () => { }))
        {
            Assert.False(await wrong.GetRequiredService<IStorageInitializer>().CanConnectAsync(CancellationToken.None));
        }

        // The certificate names 127.0.0.1 only: "localhost" is another name, so VerifyFull refuses before any password goes out.
        await using var other = Storage(_token, () => { }, host: "localhost");
        Assert.False(await other.GetRequiredService<IStorageInitializer>().CanConnectAsync(CancellationToken.None));
    }

    private string AppConnectionString(string host = "127.0.0.1") =>
        $"Host={host};Port={_server.Port};Database=netopsbot;Username={AppRole};SSL Mode=VerifyFull;Root Certificate={_caFile};Timeout=15";

    private ServiceProvider Storage(string token, Action asked, string host = "127.0.0.1")
    {
        var options = new StorageOptions { Provider = StorageProvider.Postgres, ConnectionString = AppConnectionString(host) + ";Application Name=" + Guid.NewGuid().ToString("N"), PostgresEntraAuth = true };
        Assert.Empty(options.Validate());
        var services = new ServiceCollection();
        services.AddNetOpsBotStorage(options, _ =>
        {
            asked();
            return ValueTask.FromResult(token);
        });
        return services.BuildServiceProvider();
    }





}

/// <summary>Entra login is PostgreSQL only, never with a password in the string, and only to a verified server.</summary>
public sealed class PostgresEntraOptionsTests
{
    [Theory]
    [InlineData(StorageProvider.Postgres, "Host=db;Database=netopsbot;Username=id;SSL Mode=VerifyFull", null)]
    [InlineData(StorageProvider.Postgres, "Host=db;Database=netopsbot;Username=id;SslMode=VerifyFull", null)]
    [InlineData(StorageProvider.Postgres, "Host=db;Database=netopsbot;Username=id;Ssl Mode=Require", "needs 'SSL Mode=VerifyFull'")]
    [InlineData(StorageProvider.Postgres, "Host=db;Database=netopsbot;Username=id", "needs 'SSL Mode=VerifyFull'")]
    [InlineData(StorageProvider.Postgres, "Host=db;Database=netopsbot;Username=id;Password=secret;SSL Mode=VerifyFull", "must not hold a password")]
    [InlineData(StorageProvider.Sqlite, "Data Source=x.db", "needs NetOps:Storage:Provider=Postgres")]
    public void Validate_EntraAuth(StorageProvider provider, string connectionString, string? expected)
    {
        var errors = new StorageOptions { Provider = provider, ConnectionString = connectionString, PostgresEntraAuth = true }.Validate();

        if (expected is null)
        {
            Assert.Empty(errors);
        }
        else
        {
            Assert.Contains(errors, e => e.StartsWith("NetOps:Storage:", StringComparison.Ordinal) && e.Contains(expected, StringComparison.Ordinal));
            Assert.DoesNotContain(errors, e => e.Contains("secret", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void AddNetOpsBotStorage_EntraAuthWithoutATokenSource_Throws()
    {
        var options = new StorageOptions { Provider = StorageProvider.Postgres, ConnectionString = "Host=db;Username=id;SSL Mode=VerifyFull", PostgresEntraAuth = true };

        var ex = Assert.Throws<ArgumentException>(() => new ServiceCollection().AddNetOpsBotStorage(options));

        Assert.Contains("PostgresEntraAuth", ex.Message, StringComparison.Ordinal);
    }
}
