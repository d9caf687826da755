using NetOpsBot.Testing;
using YamlDotNet.RepresentationModel;

namespace NetOpsBot.Host.Tests;

/// <summary>infra/docker/compose.yaml read as YAML (custom tags such as !reset are kept, not resolved).</summary>
internal static class ComposeFile
{
    public static string Path(string name = "compose.yaml") => System.IO.Path.Combine(RepoPaths.Root, "infra", "docker", name);

    public static YamlMappingNode Load(string name = "compose.yaml")
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(Path(name));
        yaml.Load(reader);
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    }

    public static YamlMappingNode Map(this YamlNode node, string key) => (YamlMappingNode)((YamlMappingNode)node).Children[new YamlScalarNode(key)];

    /// <summary>The host replicas' environment (the x-host anchor every replica merges), with ${VAR:-default} left as written.</summary>
    public static IReadOnlyDictionary<string, string> HostEnvironment() =>
        Load().Map("x-host").Map("environment").Children.ToDictionary(kv => ((YamlScalarNode)kv.Key).Value!, kv => ((YamlScalarNode)kv.Value).Value ?? string.Empty, StringComparer.Ordinal);
}
