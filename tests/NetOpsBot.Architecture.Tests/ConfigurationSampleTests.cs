using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using NetOpsBot.Testing;

namespace NetOpsBot.Architecture.Tests;

/// <summary>
/// appsettings.sample.json documents every option (DESIGN.md §6): every key the Host binds or reads is in it, and
/// every key in it is one the Host reads. The list of what the Host reads is checked against the Host's source, so a
/// new GetSection/GetValue without a row here fails too.
/// </summary>
public sealed partial class ConfigurationSampleTests
{
    /// <summary>A section the Host binds to an options type (its whole property tree is an option).</summary>
    private sealed record Binding(string Section, Type Type);

    private static readonly Assembly Host = Assemblies.Of(ProjectRules.Host);

    private static readonly Binding[] Bindings =
    [
        new("NetOps", HostType("NetOpsBot.Host.NetOpsOptions")),
        new(NetOpsBot.Ssh.DeviceFilesOptions.SectionName, typeof(NetOpsBot.Ssh.DeviceFilesOptions)),
        new(NetOpsBot.Platforms.DiagnosisOptions.SectionName, typeof(NetOpsBot.Platforms.DiagnosisOptions)),
        new("NetOps:Incidents", HostType("NetOpsBot.Host.IncidentSettings")),
        new("NetOps:Remediation", HostType("NetOpsBot.Host.RemediationSettings")),
        new(NetOpsBot.Storage.StorageOptions.SectionName, typeof(NetOpsBot.Storage.StorageOptions)),
        new(NetOpsBot.Core.Approvals.ApprovalOptions.SectionName, typeof(NetOpsBot.Core.Approvals.ApprovalOptions)),
        new(NetOpsBot.Core.Approvals.PersonOptions.SectionName, typeof(Dictionary<string, NetOpsBot.Core.Approvals.PersonOptions>)),
        new(NetOpsBot.Secrets.KeyVault.KeyVaultSecretsOptions.SectionName, typeof(NetOpsBot.Secrets.KeyVault.KeyVaultSecretsOptions)),
        new("NetOps:Telemetry", HostType("NetOpsBot.Host.TelemetryOptions")),
        new(NetOpsBot.Teams.TeamsOptions.SectionName, typeof(NetOpsBot.Teams.TeamsOptions)),
        new(NetOpsBot.Slack.SlackOptions.SectionName, typeof(NetOpsBot.Slack.SlackOptions)),
        new(NetOpsBot.Alerts.AlertOptions.SectionName, typeof(NetOpsBot.Alerts.AlertOptions)),
    ];

    /// <summary>Single values the Host reads with GetValue or the indexer.</summary>
    private static readonly string[] Values =
    [
        "NetOps:Secrets:Provider",
        "Serilog:WriteTo",
    ];

    /// <summary>Keys that belong to a library, not to us: the sample may show them, the Host may read them.</summary>
    private static readonly string[] Foreign =
    [
        "Serilog", // Serilog.Settings.Configuration reads the whole section.
        "urls", "http_ports", "https_ports", "Kestrel:Endpoints", // ASP.NET Core's own listening addresses.
    ];

    /// <summary>The projects whose source binds configuration: the Host and the libraries' AddNetOpsX.</summary>
    private static readonly string[] BindingProjects = [ProjectRules.Host, ProjectRules.Ssh, ProjectRules.Platforms];

    public static TheoryData<string> Sections() => [.. Bindings.Select(b => b.Type.Name)];

    [Theory]
    [MemberData(nameof(Sections))]
    public void EveryKeyTheHostBinds_IsInTheSample(string typeName)
    {
        var binding = Bindings.Single(b => b.Type.Name == typeName);
        var sample = SampleKeys();
        var missing = Options(binding.Type, binding.Section)
            .Where(path => !path.Contains('*', StringComparison.Ordinal) && !sample.Contains(path))
            .ToList();
        missing.AddRange(DictionaryEntriesMissingKeys(binding, sample));
        Assert.True(missing.Count == 0, "appsettings.sample.json lacks: " + string.Join(", ", missing));
    }

    [Fact]
    public void EveryValueTheHostReads_IsInTheSample()
    {
        var sample = SampleKeys();
        var missing = Values.Where(v => !sample.Contains(v)).ToList();
        Assert.True(missing.Count == 0, "appsettings.sample.json lacks: " + string.Join(", ", missing));
    }

    [Fact]
    public void EveryKeyInTheSample_IsAnOptionTheHostReads()
    {
        var options = Bindings.SelectMany(b => Options(b.Type, b.Section)).Concat(Values).ToList();
        var unknown = SampleLeaves()
            .Where(key => !Foreign.Any(f => Under(key, f))
                && !Values.Any(v => Under(key, v))
                && !options.Any(o => Matches(o, key)))
            .ToList();
        Assert.True(unknown.Count == 0, "not read by the Host (a typo, or a removed option): " + string.Join(", ", unknown));
    }

    [Fact]
    public void EveryConfigurationReadInTheHostSource_IsListedHere()
    {
        var reads = ConfigurationReadsInHostSource();
        Assert.NotEmpty(reads);
        var options = Bindings.SelectMany(b => Options(b.Type, b.Section).Append(b.Section)).ToList();
        var unlisted = reads
            .Where(r => !Values.Contains(r.Key, StringComparer.OrdinalIgnoreCase)
                && !Foreign.Any(f => Under(r.Key, f))
                && !options.Any(o => Matches(o, r.Key)))
            .Select(r => $"{r.Key} ({r.Where})")
            .ToList();
        Assert.True(unlisted.Count == 0, "the Host reads configuration this test does not know; add it to Bindings or Values (and to appsettings.sample.json): " + string.Join(", ", unlisted));

        // And the other way: a row nobody reads any more is a stale promise.
        var read = reads.Select(r => r.Key).ToList();
        var stale = Bindings.Select(b => b.Section).Concat(Values).Where(k => !read.Contains(k, StringComparer.OrdinalIgnoreCase)).ToList();
        Assert.True(stale.Count == 0, "listed here but no longer read by the Host: " + string.Join(", ", stale));
    }

    /// <summary>A new options class bound anywhere (AddOptions&lt;T&gt;) must be listed above, so the sample must show its keys.</summary>
    [Fact]
    public void EveryBoundOptionsType_IsListedHere()
    {
        var bound = new List<string>();
        foreach (var file in Directory.GetFiles(ProjectFile.SourceRoot, "*.cs", SearchOption.AllDirectories).Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal)))
        {
            bound.AddRange(AddOptionsPattern().Matches(File.ReadAllText(file)).Select(m => m.Groups["type"].Value.Split('.')[^1]));
        }

        Assert.Contains("DiagnosisOptions", bound);
        var listed = Bindings.Select(b => b.Type.Name).ToHashSet(StringComparer.Ordinal);
        var unlisted = bound.Where(t => t != "T" && !listed.Contains(t)).Distinct().ToList();
        Assert.True(unlisted.Count == 0, "options bound but not checked against appsettings.sample.json; add them to Bindings: " + string.Join(", ", unlisted));
    }

    [Fact]
    public void TheSample_BindsToTheOptionTypes()
    {
        var configuration = new ConfigurationBuilder().AddJsonFile(SamplePath, optional: false).Build();
        foreach (var binding in Bindings)
        {
            // Throws on a value of the wrong type (a string where a number goes).
            _ = configuration.GetSection(binding.Section).Get(binding.Type);
        }

        // Left unset (null) the recovery deadline keeps following each device's boot time (Program.cs).
        Assert.Null(configuration.GetValue<double?>("NetOps:Remediation:RecoveryDeadlineSeconds"));
    }

    [Fact]
    public void OptionPaths_FollowTheBindersRules()
    {
        // The enumeration below decides what "every option" means; check it on a type whose shape we know.
        var paths = Options(HostType("NetOpsBot.Host.NetOpsOptions"), "NetOps").ToList();
        Assert.Contains("NetOps:WebChat:OpenIdConnect:Authority", paths);
        Assert.Contains("NetOps:WebChat:Users", paths);
        Assert.Contains("NetOps:Limits:MaxRequestBodyBytes", paths);
        Assert.DoesNotContain(paths, p => p.StartsWith("NetOps:WebChat:Users:", StringComparison.Ordinal));
        var people = Options(typeof(Dictionary<string, NetOpsBot.Core.Approvals.PersonOptions>), "NetOps:People").ToList();
        Assert.Contains("NetOps:People:*:Slack", people);
        Assert.DoesNotContain(Options(typeof(NetOpsBot.Secrets.KeyVault.KeyVaultSecretsOptions), "S"), p => p.EndsWith(":ParsedVaultUri", StringComparison.Ordinal));
    }

    private static string SamplePath => Path.Combine(RepoPaths.Root, "appsettings.sample.json");

    private static Type HostType(string name) => Host.GetType(name, throwOnError: true)!;

    /// <summary>Every option path under <paramref name="prefix"/>; a dictionary's entries are '*'. Lists are one option.</summary>
    private static IEnumerable<string> Options(Type type, string prefix)
    {
        if (IsValue(type))
        {
            yield return prefix;
            yield break;
        }

        if (DictionaryValueType(type) is { } valueType)
        {
            yield return prefix;
            foreach (var path in Options(valueType, prefix + ":*"))
            {
                yield return path;
            }

            yield break;
        }

        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var settable = property.SetMethod is { IsPublic: true };
            if (property.GetIndexParameters().Length > 0 || (!settable && IsValue(property.PropertyType)))
            {
                continue; // The binder cannot set it: computed, not an option.
            }

            var name = property.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? property.Name;
            if (!IsValue(property.PropertyType))
            {
                yield return prefix + ":" + name; // A sub-section (NetOps:WebChat) is read on its own too.
            }

            foreach (var path in Options(property.PropertyType, prefix + ":" + name))
            {
                yield return path;
            }
        }
    }

    private static bool IsValue(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(decimal) || t == typeof(TimeSpan) || t == typeof(Uri)
            || t == typeof(DateTime) || t == typeof(DateTimeOffset) || t == typeof(Guid)
            || (typeof(IEnumerable).IsAssignableFrom(t) && DictionaryValueType(t) is null);
    }

    private static Type? DictionaryValueType(Type type) =>
        type.GetInterfaces().Append(type)
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>) && i.GetGenericArguments()[0] == typeof(string))
            ?.GetGenericArguments()[1];

    /// <summary>A dictionary of option objects (NetOps:People): each entry in the sample shows every key of one entry.</summary>
    private static IEnumerable<string> DictionaryEntriesMissingKeys(Binding binding, HashSet<string> sample)
    {
        var entryOptions = Options(binding.Type, binding.Section).Where(p => p.StartsWith(binding.Section + ":*:", StringComparison.Ordinal)).ToList();
        if (DictionaryValueType(binding.Type) is null || entryOptions.Count == 0)
        {
            yield break;
        }

        var entries = sample.Where(k => Under(k, binding.Section) && k.Length > binding.Section.Length)
            .Select(k => k[(binding.Section.Length + 1)..].Split(':')[0])
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        if (entries.Count == 0)
        {
            yield return binding.Section + ":<an example entry>";
        }

        foreach (var entry in entries)
        {
            foreach (var option in entryOptions.Select(o => o.Replace("*", entry, StringComparison.Ordinal)).Where(o => !sample.Contains(o)))
            {
                yield return option;
            }
        }
    }

    private static bool Under(string key, string section) =>
        key.Equals(section, StringComparison.OrdinalIgnoreCase) || key.StartsWith(section + ":", StringComparison.OrdinalIgnoreCase);

    /// <summary>Option path (with '*' for dictionary entries) against a concrete key, case-insensitively as configuration is.</summary>
    private static bool Matches(string option, string key) =>
        Regex.IsMatch(key, "^" + Regex.Escape(option).Replace(@"\*", "[^:]+", StringComparison.Ordinal) + "$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    /// <summary>Every key of the sample, sections included (an array or object value is one key), case-insensitive.</summary>
    private static HashSet<string> SampleKeys() => new(Walk(SampleRoot(), null, leavesOnly: false), StringComparer.OrdinalIgnoreCase);

    /// <summary>The sample's leaves: scalars, and arrays as one value.</summary>
    private static IReadOnlyList<string> SampleLeaves() => [.. Walk(SampleRoot(), null, leavesOnly: true)];

    private static JsonElement SampleRoot()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(SamplePath), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        return doc.RootElement.Clone();
    }

    private static IEnumerable<string> Walk(JsonElement element, string? path, bool leavesOnly)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            yield return path!;
            yield break;
        }

        if (path is not null && !leavesOnly)
        {
            yield return path;
        }

        foreach (var property in element.EnumerateObject())
        {
            foreach (var key in Walk(property.Value, path is null ? property.Name : path + ":" + property.Name, leavesOnly))
            {
                yield return key;
            }
        }
    }

    private sealed record ConfigurationRead(string Key, string Where);

    /// <summary>
    /// The keys the Host's source passes to GetSection, GetValue and the configuration indexer, with constants
    /// (StorageOptions.SectionName, NetOpsOptions.Section + ":WebChat") resolved by reflection.
    /// </summary>
    private static List<ConfigurationRead> ConfigurationReadsInHostSource()
    {
        var reads = new List<ConfigurationRead>();
        foreach (var file in BindingProjects.SelectMany(p => Directory.GetFiles(Path.Combine(ProjectFile.SourceRoot, p), "*.cs", SearchOption.AllDirectories)).Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal)))
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                foreach (Match m in ConfigurationReadPattern().Matches(lines[i]))
                {
                    var where = $"{Path.GetRelativePath(RepoPaths.Root, file)}:{i + 1}";
                    reads.Add(new ConfigurationRead(Evaluate(m.Groups["arg"].Value, where), where));
                }
            }
        }

        return reads;
    }

    private static string Evaluate(string expression, string where) =>
        string.Concat(expression.Split('+').Select(part => part.Trim()).Select(part =>
            part.StartsWith('"') && part.EndsWith('"') ? part[1..^1] : Constant(part, where)));

    private static string Constant(string reference, string where)
    {
        var dot = reference.LastIndexOf('.');
        var typeName = dot < 0 ? null : reference[..dot];
        var fieldName = reference[(dot + 1)..];
        var candidates = Assemblies.Ours()
            .SelectMany(a => a.GetTypes())
            .Where(t => typeName is null ? t.Assembly == Host : t.FullName == typeName || t.Name == typeName || t.FullName?.EndsWith("." + typeName, StringComparison.Ordinal) == true)
            .Select(t => t.GetField(fieldName, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static))
            .Where(f => f is { IsLiteral: true } && f.FieldType == typeof(string))
            .Select(f => (string)f!.GetRawConstantValue()!)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return candidates.Count == 1
            ? candidates[0]
            : throw new InvalidOperationException($"{where}: cannot resolve '{reference}' to one string constant (found {candidates.Count}); teach ConfigurationSampleTests.Evaluate this form");
    }

    [GeneratedRegex(@"AddOptions<(?<type>[\w.]+)>")]
    private static partial Regex AddOptionsPattern();

    // GetSection(x) / GetValue(x, ...) / GetValue<T>(x) / configuration[x] on a configuration object.
    [GeneratedRegex("""(?:\.GetSection|\.GetValue(?:<[^>()]+>)?)\(\s*(?<arg>[^,()]+?)\s*[,)]|[Cc]onfiguration\[(?<arg>[^\]]+)\]""")]
    private static partial Regex ConfigurationReadPattern();
}
