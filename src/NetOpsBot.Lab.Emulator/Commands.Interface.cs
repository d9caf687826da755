using System.Globalization;

namespace NetOpsBot.Lab.Emulator;

/// <summary>
/// The interface view: admin state (<c>shutdown</c> / <c>undo shutdown</c>) and the inbound packet filter
/// (<c>traffic-filter inbound acl N</c> / <c>undo traffic-filter inbound</c>), the two settings the
/// <c>mgmt-interface-down</c> and <c>interface-acl</c> scenarios break and their fixes repair.
/// </summary>
internal static partial class Commands
{
    private static void AddInterface(CommandTree t) =>
        t.Add("shutdown", c => ChangeInterface(c, i => i with { Up = false }))
            .Add("undo shutdown", c => ChangeInterface(c, i => i with { Up = true }))
            .Add("traffic-filter inbound acl", TrafficFilter, args: true)
            .Add("undo traffic-filter inbound", UndoTrafficFilter, args: true);

    private static Reply EnterInterface(CommandContext c)
    {
        if (c.Count == 0)
        {
            return c.Incomplete();
        }

        // VRP accepts "interface Vlanif10" and "interface Vlanif 10".
        var typed = string.Concat(Enumerable.Range(0, c.Count).Select(i => c[i]));
        var name = Locked(c.Device, () => c.Device.Running.Interfaces.Select(i => i.Name).FirstOrDefault(n => string.Equals(n, typed, StringComparison.OrdinalIgnoreCase)));
        if (name is null)
        {
            return c.Wrong(0);
        }

        c.Session.InterfaceName = name;
        c.Session.View = View.Interface;
        return Reply.Empty();
    }

    private static Reply ChangeInterface(CommandContext c, Func<InterfaceProfile, InterfaceProfile> change) =>
        c.Expect(0) ?? ApplyInterface(c, change);

    private static Reply ApplyInterface(CommandContext c, Func<InterfaceProfile, InterfaceProfile> change)
    {
        lock (c.Device.Gate)
        {
            var list = c.Device.Running.Interfaces;
            var at = list.FindIndex(i => i.Name == c.Session.InterfaceName);
            if (at >= 0)
            {
                list[at] = change(list[at]);
            }
        }

        return Reply.Empty();
    }

    private static Reply TrafficFilter(CommandContext c)
    {
        if (c.Count == 0)
        {
            return c.Incomplete();
        }

        if (c.Count > 1)
        {
            return c.TooMany(1);
        }

        if (!int.TryParse(c[0], NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n is < 2000 or > 3999)
        {
            return c.Wrong(0);
        }

        return ApplyInterface(c, i => i with { TrafficFilterInbound = n });
    }

    private static Reply UndoTrafficFilter(CommandContext c)
    {
        // "undo traffic-filter inbound" and "undo traffic-filter inbound acl N" both remove the filter.
        if (c.Count > 2)
        {
            return c.TooMany(2);
        }

        return ApplyInterface(c, i => i with { TrafficFilterInbound = null });
    }
}
