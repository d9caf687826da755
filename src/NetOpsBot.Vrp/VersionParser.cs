using System.Text.RegularExpressions;

namespace NetOpsBot.Vrp;

/// <summary>
/// "display version". <see cref="ProductVersion"/> is the parenthesised text ("S7700 V200R010C00SPC600");
/// <see cref="Release"/> its V…R…C… token. The generation comes from "Version 5." vs "Version 8.", not from
/// the V200/V300/V800 label, which is per product line.
/// </summary>
public sealed record VrpVersionInfo(string VrpVersion, int Generation, string ProductVersion, string? Release, string? Model, string? Uptime, string? PatchVersion);

public static partial class VersionParser
{
    [GeneratedRegex(@"VRP \(R\) software, Version (?<v>(?<g>\d+)\.\d+)\s*\((?<p>[^)]*)\)", RegexOptions.IgnoreCase)]
    private static partial Regex Banner();

    [GeneratedRegex(@"^(?:HUAWEI|Huawei|Quidway)\s+(?<m>.+?)\s+uptime is\s+(?<u>.+?)\s*$")]
    private static partial Regex ModelUptime();

    [GeneratedRegex(@"^Patch Version\s*:\s*(?<p>\S+)")]
    private static partial Regex Patch();

    [GeneratedRegex(@"\bV\d{3}R\d{3}\w*")]
    private static partial Regex ReleaseToken();

    public static ParseResult<VrpVersionInfo> Parse(string? output) => ParseResult.Guard(output, ParseCore);

    private static ParseResult<VrpVersionInfo> ParseCore(string output)
    {
        var lines = VrpOutputCleaner.Clean(output).Lines;
        Match? banner = null;
        string? model = null, uptime = null, patch = null;
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (banner is null && Banner().Match(line) is { Success: true } b)
            {
                banner = b;
            }
            else if (model is null && ModelUptime().Match(line) is { Success: true } m)
            {
                model = m.Groups["m"].Value;
                // AR banners say "Huawei AR6280 Router uptime is"; the word "Router" is not part of the model.
                if (model.EndsWith(" Router", StringComparison.Ordinal))
                {
                    model = model[..^" Router".Length];
                }

                uptime = m.Groups["u"].Value;
            }
            else if (patch is null && Patch().Match(line) is { Success: true } p)
            {
                patch = p.Groups["p"].Value;
            }
        }

        if (banner is null)
        {
            return ParseResult.Unparsed<VrpVersionInfo>("no 'VRP (R) software, Version' banner found", output);
        }

        var product = banner.Groups["p"].Value.Trim();
        var release = ReleaseToken().Match(product);
        return ParseResult.Parsed(new VrpVersionInfo(
            banner.Groups["v"].Value,
            VrpText.ToInt(banner.Groups["g"].Value) ?? 0,
            product,
            release.Success ? release.Value : null,
            model,
            uptime,
            patch));
    }
}
