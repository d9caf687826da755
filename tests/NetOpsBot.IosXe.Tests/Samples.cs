using YamlDotNet.Serialization;

namespace NetOpsBot.IosXe.Tests;

/// <summary>The real outputs under samples/ (provenance in samples/SOURCES.md) and ntc-templates' expected values.</summary>
internal static class Samples
{
    public static string Read(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "samples", name));

    /// <summary>The "parsed_sample" list of an ntc-templates .yml, every value as a string (lists joined with '|').</summary>
    public static IReadOnlyList<Dictionary<string, string>> NtcExpected(string name)
    {
        var doc = new DeserializerBuilder().Build().Deserialize<Dictionary<string, List<Dictionary<string, object>>>>(Read(name));
        return doc["parsed_sample"].Select(row => row.ToDictionary(
            kv => kv.Key,
            kv => kv.Value switch
            {
                null => string.Empty,
                List<object> list => string.Join('|', list.Select(o => o?.ToString() ?? string.Empty)),
                _ => kv.Value.ToString() ?? string.Empty,
            },
            StringComparer.Ordinal)).ToList();
    }
}
