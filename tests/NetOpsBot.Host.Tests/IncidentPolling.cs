using System.Net.Http.Json;
using System.Text.Json;

namespace NetOpsBot.Host.Tests;

/// <summary>Reads an incident from the host until it reaches the state a test waits for.</summary>
internal static class IncidentPolling
{
    public static async Task<JsonElement> WaitAsync(HttpClient http, string id, Func<JsonElement, bool> condition, TimeSpan? timeout = null)
    {
        var until = Environment.TickCount64 + (long)(timeout ?? TimeSpan.FromSeconds(60)).TotalMilliseconds;
        JsonElement last = default;
        while (Environment.TickCount64 < until)
        {
            last = await http.GetFromJsonAsync<JsonElement>($"/api/incidents/{id}");
            if (condition(last))
            {
                return last;
            }

            await Task.Delay(150);
        }

        throw new TimeoutException($"incident {id} never met the condition; last: {last}");
    }

    public static List<string> Thread(JsonElement incident) =>
        incident.GetProperty("thread").EnumerateArray().Select(t => t.GetProperty("text").GetString()!).ToList();
}
