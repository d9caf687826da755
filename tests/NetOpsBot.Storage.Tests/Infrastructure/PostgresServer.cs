using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace NetOpsBot.Storage.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL server for the test run: initdb into a temp dir, listen on 127.0.0.1 and a free
/// port (and a Unix socket inside the temp dir, so nothing clashes with a system server), one database per
/// test. Missing binaries FAIL the tests with instructions: a green run must mean PostgreSQL was tested.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private const string InstallHint =
        "PostgreSQL server binaries (initdb, pg_ctl) were not found under /usr/lib/postgresql/*/bin. " +
        "Install them: apt-get install -y postgresql (or set NETOPSBOT_PG_BIN to the folder holding initdb and pg_ctl).";

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    private string? _root;
    private string? _data;
    private string? _bin;
    private bool _runAsPostgres;

    public int Port { get; private set; }

    public async Task InitializeAsync()
    {
        _bin = FindBinaries() ?? throw new InvalidOperationException(InstallHint);

        // initdb refuses to run as root; as root we run the server as the postgres OS user the package creates.
        _runAsPostgres = Environment.UserName == "root";
        _root = Directory.CreateTempSubdirectory("netopsbot-pg-").FullName;
        _data = Path.Combine(_root, "data");
        if (_runAsPostgres)
        {
            await RunAsync("chown", ["-R", "postgres:postgres", _root], asPostgres: false).ConfigureAwait(false);
        }

        await RunAsync(Path.Combine(_bin, "initdb"), ["-D", _data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"], _runAsPostgres)
            .ConfigureAwait(false);

        Port = FreePort();

        // Durability settings off: the data is thrown away, and fsync dominates the run time otherwise.
        var serverOptions = $"-c listen_addresses=127.0.0.1 -p {Port} -k {_root} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300";
        await RunAsync(Path.Combine(_bin, "pg_ctl"), ["-D", _data, "-l", Path.Combine(_root, "server.log"), "-o", serverOptions, "-w", "-t", "60", "start"], _runAsPostgres)
            .ConfigureAwait(false);
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_bin is not null && _data is not null && Directory.Exists(_data))
        {
            try
            {
                await RunAsync(Path.Combine(_bin, "pg_ctl"), ["-D", _data, "-m", "immediate", "-w", "stop"], _runAsPostgres).ConfigureAwait(false);
            }
            catch (InvalidOperationException)
            {
                // Already stopped (or never started): nothing left to stop; the folder still goes.
            }
        }

        if (_root is not null && Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "t_" + Guid.NewGuid().ToString("N");
        var admin = ConnectionString("postgres");
        var connection = new NpgsqlConnection(admin);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync().ConfigureAwait(false);
            var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await using (command.ConfigureAwait(false))
            {
                await command.ExecuteNonQueryAsync().ConfigureAwait(false);
            }
        }

        return ConnectionString(name);
    }

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Maximum Pool Size=100;Timeout=30";

    private static string? FindBinaries()
    {
        var configured = Environment.GetEnvironmentVariable("NETOPSBOT_PG_BIN");
        if (!string.IsNullOrEmpty(configured))
        {
            return File.Exists(Path.Combine(configured, "initdb")) ? configured : null;
        }

        const string root = "/usr/lib/postgresql";
        if (!Directory.Exists(root))
        {
            return null;
        }

        // Newest major version first.
        return Directory.GetDirectories(root)
            .Select(d => Path.Combine(d, "bin"))
            .Where(b => File.Exists(Path.Combine(b, "initdb")) && File.Exists(Path.Combine(b, "pg_ctl")))
            .OrderByDescending(b => int.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), out var v) ? v : 0)
            .FirstOrDefault();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string file, IReadOnlyList<string> args, bool asPostgres)
    {
        var start = new ProcessStartInfo
        {
            FileName = asPostgres ? "runuser" : file,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asPostgres)
        {
            foreach (var a in new[] { "-u", "postgres", "--", file })
            {
                start.ArgumentList.Add(a);
            }
        }

        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");

        // pg_ctl's server inherits our pipes; read them to EOF only until the process itself exits.
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(CommandTimeout);
        await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            var err = await Task.WhenAny(stderr, Task.Delay(1000)).ConfigureAwait(false) == stderr ? await stderr.ConfigureAwait(false) : "";
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited with {process.ExitCode}: {err}");
        }

        _ = stdout;
    }
}
