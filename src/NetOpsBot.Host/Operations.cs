using System.Net;

namespace NetOpsBot.Host;

internal static class Operations
{
    /// <summary>
    /// A caller on this machine asking for this machine by a loopback name: a loopback peer alone is not enough, since a
    /// web page on an operator's machine can reach loopback under its own DNS name (rebinding); it cannot send such a Host.
    /// </summary>
    public static bool IsLocalOperator(HttpContext context)
    {
        var host = context.Request.Host.Host.Trim('[', ']');
        var loopbackName = string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var named) && IPAddress.IsLoopback(named));
        return loopbackName && context.Connection.RemoteIpAddress is { } peer && IPAddress.IsLoopback(peer);
    }
}

/// <summary>
/// <c>NetOpsBot.Host --healthcheck</c>: the container's HEALTHCHECK (the aspnet image has no curl). Asks this
/// machine's running host for /healthz on the port it listens on and exits 0 on 200, 1 otherwise.
/// </summary>
internal static class HealthProbe
{
    public static bool IsRequested(string[] args) => args.Length > 0 && args[0] == "--healthcheck";

    public static async Task<int> RunAsync()
    {
        var url = new Uri(LocalUrl(Environment.GetEnvironmentVariable("ASPNETCORE_URLS"), Environment.GetEnvironmentVariable("ASPNETCORE_HTTP_PORTS")), "/healthz");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        try
        {
            using var response = await http.GetAsync(url).ConfigureAwait(false);
            await Console.Out.WriteLineAsync($"{url} -> {(int)response.StatusCode}").ConfigureAwait(false);
            return response.StatusCode == HttpStatusCode.OK ? 0 : 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            await Console.Out.WriteLineAsync($"{url} -> {ex.GetType().Name}").ConfigureAwait(false);
            return 1;
        }
    }

    /// <summary>The first configured URL with a wildcard host turned into loopback (http://+:8080 → http://127.0.0.1:8080).</summary>
    internal static Uri LocalUrl(string? urls, string? httpPorts)
    {
        var first = urls?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        if (first is null)
        {
            var port = httpPorts?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "8080";
            return new Uri($"http://127.0.0.1:{port}");
        }

        foreach (var wildcard in new[] { "://+", "://*", "://0.0.0.0", "://[::]" })
        {
            first = first.Replace(wildcard, "://127.0.0.1", StringComparison.Ordinal);
        }

        return new Uri(first);
    }
}
