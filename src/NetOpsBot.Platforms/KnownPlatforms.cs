using NetOpsBot.Core.Platforms;
using NetOpsBot.IosXe.Platform;
using NetOpsBot.Vrp.Platform;

namespace NetOpsBot.Platforms;

/// <summary>
/// The one place that lists the device platforms this build speaks (issue 16, seam 2). A new platform is a new
/// project implementing <see cref="IDevicePlatform"/> plus one line here; the Host and the CLI both take this list.
/// </summary>
public static class KnownPlatforms
{
    public static DevicePlatforms All { get; } = new([VrpPlatform.Instance, IosXePlatform.Instance]);
}
