using System.Diagnostics;
using System.Diagnostics.Metrics;
using NetOpsBot.Core.Approvals;
using NetOpsBot.Core.Incidents;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Serilog;

namespace NetOpsBot.Host;

/// <summary>Logging (Serilog from configuration), traces and metrics (OpenTelemetry, OTLP behind a switch).</summary>
internal static class Observability
{
    public const string TelemetrySection = "NetOps:Telemetry";

    /// <summary>The host's own meter: chat acknowledgement latency and the approvals waiting across all replicas.</summary>
    public static readonly Meter HostMeter = new("NetOpsBot.Host");

    private static readonly Histogram<double> s_ackDuration = HostMeter.CreateHistogram<double>(
        "netopsbot.chat.ack.duration", unit: "s", description: "Time from a chat request's arrival to the platform's acknowledgement (HTTP response)");

    /// <summary>
    /// Sinks, levels and format come from the <c>Serilog</c> section (appsettings.json: compact JSON on the console;
    /// appsettings.Development.json: <see cref="ReadableLogFormatter"/>). Log scopes become properties, so every
    /// line of a diagnosis carries its IncidentId.
    /// </summary>
    public static void UseNetOpsBotSerilog(this IHostBuilder host) =>
        host.UseSerilog((context, logger) =>
        {
            logger.ReadFrom.Configuration(context.Configuration).WithNetOpsBotEnrichment();
            if (!context.Configuration.GetSection("Serilog:WriteTo").GetChildren().Any())
            {
                // A configuration without sinks would log nothing at all: fall back to the documented default.
                logger.WriteTo.Console(new Serilog.Formatting.Compact.RenderedCompactJsonFormatter());
            }
        });

    /// <summary>
    /// Traces and metrics of every NetOpsBot source and meter (runbook steps, SSH connects, chat acks, pending
    /// approvals) plus ASP.NET Core's and HttpClient's. Off unless <c>NetOps:Telemetry:OtlpEndpoint</c> is set:
    /// with no exporter nothing listens, so the instruments cost nothing.
    /// </summary>
    public static IServiceCollection AddNetOpsBotTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(TelemetrySection).Get<TelemetryOptions>() ?? new TelemetryOptions();
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new Microsoft.Extensions.Options.OptionsValidationException(TelemetrySection, typeof(TelemetryOptions), problems);
        }

        services.AddSingleton(options);
        services.AddRedactedHttpClientLogging();
        if (options.OtlpEndpoint is not { Length: > 0 } endpoint)
        {
            return services;
        }

        var protocol = string.Equals(options.OtlpProtocol, "grpc", StringComparison.OrdinalIgnoreCase) ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
        var baseUri = new Uri(endpoint.TrimEnd('/') + "/");
        void Exporter(OtlpExporterOptions o, string signal)
        {
            o.Protocol = protocol;
            // OTLP/HTTP wants the signal's path; gRPC takes the bare endpoint.
            o.Endpoint = protocol == OtlpExportProtocol.Grpc ? new Uri(endpoint) : new Uri(baseUri, "v1/" + signal);
        }

        services.AddSingleton<PendingApprovalsGauge>();
        services.AddHostedService(sp => sp.GetRequiredService<PendingApprovalsGauge>());
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(options.ServiceName, serviceInstanceId: $"{Environment.MachineName}-{Environment.ProcessId}"))
            .WithTracing(t => t
                .AddSource("NetOpsBot.*")
                .AddAspNetCoreInstrumentation(o => o.Filter = ctx => !ctx.Request.Path.StartsWithSegments("/healthz") && !ctx.Request.Path.StartsWithSegments("/readyz"))
                .AddRedactedHttpClientInstrumentation()
                .AddOtlpExporter(o => Exporter(o, "traces")))
            .WithMetrics(m => m
                .AddMeter("NetOpsBot.*")
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddOtlpExporter((o, reader) =>
                {
                    Exporter(o, "metrics");
                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)(options.MetricExportIntervalSeconds * 1000);
                }));
        return services;
    }

    /// <summary>Times the acknowledgement of each inbound chat request (web chat, Slack, Teams), the figure platforms hold us to.</summary>
    public static IApplicationBuilder UseNetOpsBotAckMetrics(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var surface = Surface(context.Request.Path);
            if (surface is null || !HttpMethods.IsPost(context.Request.Method))
            {
                await next(context).ConfigureAwait(false);
                return;
            }

            var started = Stopwatch.GetTimestamp();
            try
            {
                await next(context).ConfigureAwait(false);
            }
            finally
            {
                s_ackDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds,
                    new KeyValuePair<string, object?>("netopsbot.surface", surface),
                    new KeyValuePair<string, object?>("http.route", context.Request.Path.Value),
                    new KeyValuePair<string, object?>("http.response.status_code", context.Response.StatusCode));
            }
        });

    private static string? Surface(PathString path) =>
        path.StartsWithSegments("/api/chat") ? "webchat"
        : path.StartsWithSegments("/slack") ? "slack"
        : path.StartsWithSegments("/api/messages") ? "teams"
        : null;
}

/// <summary><c>NetOps:Telemetry</c>: where traces and metrics go.</summary>
internal sealed class TelemetryOptions
{
    /// <summary>OTLP collector, e.g. http://otel-collector:4318 (HTTP) or http://otel-collector:4317 (gRPC). Empty: telemetry off.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary><c>http/protobuf</c> (default) or <c>grpc</c>.</summary>
    public string OtlpProtocol { get; set; } = "http/protobuf";

    public string ServiceName { get; set; } = "netopsbot";

    public double MetricExportIntervalSeconds { get; set; } = 15;

    /// <summary>How often the pending-approvals gauge is read from the store (shared by every replica).</summary>
    public double PendingApprovalsRefreshSeconds { get; set; } = 15;

    public IReadOnlyList<string> Validate()
    {
        const string s = Observability.TelemetrySection + ":";
        var problems = new List<string>();
        if (OtlpEndpoint is { Length: > 0 } e && (!Uri.TryCreate(e, UriKind.Absolute, out var u) || (u.Scheme != Uri.UriSchemeHttp && u.Scheme != Uri.UriSchemeHttps)))
        {
            problems.Add(s + "OtlpEndpoint must be an absolute http(s) URL such as http://otel-collector:4318.");
        }

        if (!string.Equals(OtlpProtocol, "http/protobuf", StringComparison.OrdinalIgnoreCase) && !string.Equals(OtlpProtocol, "grpc", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add(s + "OtlpProtocol must be http/protobuf or grpc.");
        }

        if (string.IsNullOrWhiteSpace(ServiceName))
        {
            problems.Add(s + "ServiceName must not be empty.");
        }

        if (MetricExportIntervalSeconds is < 1 or > 3600)
        {
            problems.Add(s + "MetricExportIntervalSeconds must be between 1 and 3600.");
        }

        if (PendingApprovalsRefreshSeconds is < 1 or > 3600)
        {
            problems.Add(s + "PendingApprovalsRefreshSeconds must be between 1 and 3600.");
        }

        return problems;
    }
}

/// <summary>
/// <c>netopsbot.approvals.pending</c>: remediation requests waiting for approvers, read from the shared store (so
/// every replica reports the same figure: use max, not sum, across replicas) among the 200 newest incidents.
/// </summary>
internal sealed partial class PendingApprovalsGauge(IIncidentStore incidents, IRemediationRequestStore requests, TelemetryOptions options, ILogger<PendingApprovalsGauge> logger) : BackgroundService
{
    private long _pending;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Observability.HostMeter.CreateObservableGauge("netopsbot.approvals.pending", () => Volatile.Read(ref _pending), unit: "{request}", description: "Remediation requests waiting for approvals");
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.PendingApprovalsRefreshSeconds));
        do
        {
            try
            {
                long pending = 0;
                foreach (var incident in await incidents.ListAsync(new PageRequest(0, 200), stoppingToken).ConfigureAwait(false))
                {
                    if (incident.State == IncidentState.AwaitingApproval)
                    {
                        var list = await requests.ListForIncidentAsync(incident.Id, stoppingToken).ConfigureAwait(false);
                        pending += list.Count(r => r.State == RemediationRequestState.Pending);
                    }
                }

                Volatile.Write(ref _pending, pending);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(logger, ex.GetType().Name);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telemetry: could not count pending approvals ({Reason}); the gauge keeps its last value")]
    private static partial void LogFailed(Microsoft.Extensions.Logging.ILogger logger, string reason);
}
