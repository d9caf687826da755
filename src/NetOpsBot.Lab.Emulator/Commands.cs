using System.Globalization;
using System.Text.RegularExpressions;

namespace NetOpsBot.Lab.Emulator;

/// <summary>The command trees of each view and their handlers. Handlers run under the session lock and take the device lock briefly.</summary>
internal static partial class Commands
{
    private static readonly CultureInfo Ci = CultureInfo.InvariantCulture;
    private static readonly Dictionary<View, CommandTree> Trees = BuildTrees();

    public static Reply Execute(VrpSession session, string line, int promptLength)
    {
        var tokens = CommandTree.Tokenize(line);
        var lineEnd = line.TrimEnd().Length;
        var pipe = tokens.FindIndex(t => t.Text == "|");
        var cmd = pipe >= 0 ? tokens[..pipe] : tokens;
        Regex? filter = null;
        var filterKind = string.Empty;
        Reply Caret(Token t, string message) => Reply.Caret(promptLength + t.Offset, message);
        Reply Incomplete() => Reply.Caret(promptLength + lineEnd + 1, CommandContext.IncompleteText);

        if (pipe >= 0)
        {
            if (pipe + 1 >= tokens.Count)
            {
                return Incomplete();
            }

            var kw = tokens[pipe + 1];
            filterKind = Pick(kw.Text, "include", "begin", "exclude") ?? string.Empty;
            if (filterKind.Length == 0)
            {
                return Caret(kw, CommandContext.Unrecognized);
            }

            var pattern = line[(kw.Offset + kw.Text.Length)..].Trim();
            if (pattern.Length == 0)
            {
                return Incomplete();
            }

            try
            {
                filter = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException)
            {
                return Caret(tokens[pipe + 2], CommandContext.WrongText);
            }
        }

        var node = Trees[session.View].Root;
        var i = 0;
        while (i < cmd.Count)
        {
            var tok = cmd[i];
            var matches = node.Children.Where(c => CommandContext.IsPrefixOf(tok.Text, c.Keyword)).ToList();
            var chosen = matches.FirstOrDefault(c => string.Equals(c.Keyword, tok.Text, StringComparison.OrdinalIgnoreCase))
                ?? (matches.Count == 1 ? matches[0] : null);
            if (chosen is null && matches.Count > 1)
            {
                return Caret(tok, CommandContext.AmbiguousText);
            }

            if (chosen is not null)
            {
                node = chosen;
                i++;
                continue;
            }

            if (node.Handler is not null && node.TakesArgs)
            {
                break;
            }

            return Caret(tok, node.Handler is not null ? CommandContext.TooManyText : CommandContext.Unrecognized);
        }

        if (node.Handler is null)
        {
            return Incomplete();
        }

        if (pipe >= 0 && !node.Filterable)
        {
            return Caret(tokens[pipe], CommandContext.Unrecognized);
        }

        var reply = node.Handler(new CommandContext(session, cmd[i..], promptLength, lineEnd));
        if (filter is not null && !reply.IsError)
        {
            var kept = filterKind switch
            {
                "include" => reply.Lines.Where(l => filter.IsMatch(l)).ToList(),
                "exclude" => reply.Lines.Where(l => !filter.IsMatch(l)).ToList(),
                _ => reply.Lines.SkipWhile(l => !filter.IsMatch(l)).ToList(),
            };
            reply.Lines.Clear();
            reply.Lines.AddRange(kept);
        }

        return reply;
    }

    private static Dictionary<View, CommandTree> BuildTrees()
    {
        var trees = new Dictionary<View, CommandTree>();
        foreach (var view in Enum.GetValues<View>())
        {
            var t = new CommandTree();
            AddCommon(t);
            if (view == View.User)
            {
                t.Add("system-view", SystemView)
                    .Add("quit", Quit)
                    .Add("reboot", Reboot)
                    .Add("screen-length", ScreenLength, args: true)
                    .Add("terminal monitor", c => Flag(c, s => s.Monitor = true, "Info: Current terminal monitor is on."))
                    .Add("terminal debugging", c => Flag(c, s => s.Debugging = true, "Info: Current terminal debugging is on."))
                    .Add("undo terminal monitor", c => Flag(c, s => s.Monitor = false, "Info: Current terminal monitor is off."))
                    .Add("undo terminal debugging", c => Flag(c, s => s.Debugging = false, "Info: Current terminal debugging is off."));
            }
            else
            {
                t.Add("quit", Quit).Add("return", Return);
            }

            switch (view)
            {
                case View.System:
                    AddSystem(t);
                    break;
                case View.Vty:
                    t.Add("protocol inbound", ProtocolInbound, args: true)
                        .Add("acl", VtyAcl, args: true)
                        .Add("undo acl inbound", c => Config(c, cfg => cfg.VtyAcl = null))
                        .Add("authentication-mode", AuthenticationMode, args: true);
                    break;
                case View.Aaa:
                    t.Add("local-user", LocalUser, args: true).Add("undo local-user", UndoLocalUser, args: true);
                    break;
                case View.Acl:
                    t.Add("rule", Rule, args: true).Add("undo rule", UndoRule, args: true);
                    break;
                case View.Interface:
                    AddInterface(t);
                    break;
                default:
                    break;
            }

            trees[view] = t;
        }

        return trees;
    }

    private static void AddCommon(CommandTree t) =>
        t.Add("display version", c => Lines(c, Displays.Version(c.Device)))
            .Add("display clock", c => Lines(c, Displays.Clock(c.Device)))
            .Add("display esn", c => Lines(c, ["ESN of slot 0: " + c.Device.Profile.Esn]))
            .Add("display ip routing-table", c => Lines(c, Displays.RoutingTable(c.Device)))
            .Add("display ip interface brief", c => Lines(c, Displays.IpInterfaceBrief(c.Device)))
            .Add("display arp", c => Lines(c, Displays.Arp(c.Device)))
            .Add("display ssh server status", c => Lines(c, Displays.SshServerStatus(c.Device)))
            .Add("display tcp status", c => Lines(c, Displays.TcpStatus(c.Device)))
            .Add("display rsa local-key-pair public", c => Lines(c, Displays.RsaPublic(c.Device)))
            .Add("display users", c => Lines(c, Displays.Users(c.Device, c.Session)))
            .Add("display current-configuration", c => Lines(c, Locked(c.Device, () => c.Device.Running.Render())))
            .Add("display saved-configuration", c => Lines(c, Locked(c.Device, () => c.Device.Saved.Render())))
            .Add("ping", Ping, args: true)
            .Add("save", Save)
            .Add("debugging ssh server all", c => Flag(c, s => s.SshDebugging = true, null))
            .Add("undo debugging ssh server all", c => Flag(c, s => s.SshDebugging = false, null))
            .Add("undo debugging all", c => Flag(c, s => s.SshDebugging = false, "Info: All possible debugging has been turned off"));

    private static void AddSystem(CommandTree t) =>
        t.Add("sysname", SysName, args: true)
            .Add("stelnet server enable", c => Stelnet(c, true))
            .Add("undo stelnet server enable", c => Stelnet(c, false))
            .Add("ssh server port", SshPort, args: true)
            .Add("undo ssh server port", c => Config(c, cfg => cfg.SshPort = 22))
            .Add("ssh server compatible-enable", c => Config(c, cfg => cfg.SshCompatible = true))
            .Add("undo ssh server compatible-enable", c => Config(c, cfg => cfg.SshCompatible = false))
            .Add("ssh server-source", SshSource, args: true)
            .Add("telnet server enable", c => Telnet(c, true))
            .Add("undo telnet server enable", c => Telnet(c, false))
            .Add("ip route-static", c => RouteStatic(c, false), args: true)
            .Add("undo ip route-static", c => RouteStatic(c, true), args: true)
            .Add("rsa local-key-pair create", RsaCreate)
            .Add("rsa local-key-pair destroy", RsaDestroy)
            .Add("user-interface vty", UserInterface, args: true)
            .Add("acl", EnterAcl, args: true)
            .Add("interface", EnterInterface, args: true)
            .Add("aaa", c => Enter(c, View.Aaa));

    private static string? Pick(string token, params ReadOnlySpan<string> keywords)
    {
        foreach (var k in keywords)
        {
            if (CommandContext.IsPrefixOf(token, k))
            {
                return k;
            }
        }

        return null;
    }

    private static T Locked<T>(VrpDevice d, Func<T> f)
    {
        lock (d.Gate)
        {
            return f();
        }
    }

    private static Reply Lines(CommandContext c, List<string> lines) => c.Expect(0) ?? Reply.Text([.. lines]);

    private static Reply Flag(CommandContext c, Action<VrpSession> set, string? info)
    {
        if (c.Expect(0) is { } err)
        {
            return err;
        }

        set(c.Session);
        return info is null ? Reply.Empty() : Reply.Text(info);
    }

    private static Reply Config(CommandContext c, Action<VrpConfig> change, params string[] info)
    {
        if (c.Expect(0) is { } err)
        {
            return err;
        }

        lock (c.Device.Gate)
        {
            change(c.Device.Running);
        }

        return Reply.Text(info);
    }

    private static Reply Enter(CommandContext c, View view)
    {
        if (c.Expect(0) is { } err)
        {
            return err;
        }

        c.Session.View = view;
        return Reply.Empty();
    }

    private static Reply SystemView(CommandContext c)
    {
        var r = Enter(c, View.System);
        return r.IsError ? r : Reply.Text("Enter system view, return user view with Ctrl+Z.");
    }

    private static Reply Quit(CommandContext c)
    {
        if (c.Expect(0) is { } err)
        {
            return err;
        }

        switch (c.Session.View)
        {
            case View.User:
                return new Reply { CloseReason = "quit" };
            case View.System:
                c.Session.View = View.User;
                break;
            default:
                c.Session.View = View.System;
                break;
        }

        return Reply.Empty();
    }

    private static Reply Return(CommandContext c) => Enter(c, View.User);

    private static Reply ScreenLength(CommandContext c)
    {
        if (c.Count < 2)
        {
            return c.Incomplete();
        }

        if (!int.TryParse(c[0], NumberStyles.None, Ci, out var n) || n > 512)
        {
            return c.Wrong(0);
        }

        if (!CommandContext.IsPrefixOf(c[1], "temporary"))
        {
            return c.NotRecognized(1);
        }

        if (c.Count > 2)
        {
            return c.TooMany(2);
        }

        c.Session.ScreenLength = n;
        return Reply.Text("Info: The configuration takes effect on the current user terminal interface only.");
    }

    private static Reply Save(CommandContext c) =>
        c.Expect(0) ?? new Reply
        {
            Ask = new Question("Warning: The current configuration will be written to the device. Continue? [Y/N]:", true, a => a == "y" ? DoSave(c.Device) : Reply.Empty()),
        };

    private static Reply DoSave(VrpDevice d)
    {
        lock (d.Gate)
        {
            d.SaveLocked();
        }

        return Reply.Text("Now saving the current configuration to the slot 0.", "Info: Save the configuration successfully.");
    }

    private static Reply Reboot(CommandContext c)
    {
        if (c.Expect(0) is { } err)
        {
            return err;
        }

        var d = c.Device;
        var modified = Locked(d, () => !d.Running.Render().SequenceEqual(d.Saved.Render()));
        var r = Reply.Text("Info: The system is now comparing the configuration, please wait.");
        if (!modified)
        {
            return ConfirmReboot(c).Prepend(r.Lines);
        }

        r.Ask = new Question(
            "Warning: The configuration has been modified, and it will be saved to the next startup saved-configuration file flash:/vrpcfg.zip. Continue? [Y/N]:",
            true,
            a => ConfirmReboot(c).Prepend(a == "y" ? DoSave(d).Lines : []));
        return r;
    }

    private static Reply ConfirmReboot(CommandContext c)
    {
        var r = Reply.Text("Info: If want to reboot with saving diagnostic information, input 'N' and then execute 'reboot save diagnostic-information'.");
        r.Ask = new Question("System will reboot! Continue?[Y/N]:", true, a => a == "y" ? DoReboot(c) : Reply.Empty());
        return r;
    }

    private static Reply DoReboot(CommandContext c)
    {
        var victims = c.Device.BeginReboot();
        var self = c.Session;
        return new Reply
        {
            CloseReason = "reboot",
            After = () =>
            {
                foreach (var v in victims.Where(v => v != self))
                {
                    v.CloseFromDevice("reboot");
                }

                c.Device.NotifyStateChanged();
            },
        };
    }

    private static Reply SysName(CommandContext c)
    {
        if (c.Count == 0)
        {
            return c.Incomplete();
        }

        var name = string.Join(' ', c.Args.Select(a => a.Text));
        if (name.Length > 246)
        {
            return c.Wrong(0);
        }

        lock (c.Device.Gate)
        {
            c.Device.Running.SysName = name;
        }

        return Reply.Empty();
    }

    private static Reply Stelnet(CommandContext c, bool enable)
    {
        if (c.Expect(0) is { } err)
        {
            return err;
        }

        lock (c.Device.Gate)
        {
            var cfg = c.Device.Running;
            if (cfg.Stelnet == enable)
            {
                return Reply.Text(enable ? "Info: The STelnet server is already started." : "Info: The STelnet server is already stopped.");
            }

            cfg.Stelnet = enable;
        }

        return Reply.Text(enable ? "Info: Succeeded in starting the STelnet server." : "Info: Succeeded in closing the STelnet server.");
    }

    private static Reply Telnet(CommandContext c, bool enable)
    {
        if (c.Expect(0) is { } err)
        {
            return err;
        }

        lock (c.Device.Gate)
        {
            var cfg = c.Device.Running;
            if (cfg.Telnet == enable)
            {
                return Reply.Text(enable ? "Info: The Telnet server is already enabled." : "Info: The Telnet server is already disabled.");
            }

            cfg.Telnet = enable;
        }

        return Reply.Text(enable ? "Info: The Telnet server has been enabled." : "Info: The Telnet server has been disabled.");
    }

    private static Reply SshPort(CommandContext c)
    {
        if (c.Expect(1) is { } err)
        {
            return err;
        }

        if (!int.TryParse(c[0], NumberStyles.None, Ci, out var port) || port is < 1 or > 65535)
        {
            return c.Wrong(0);
        }

        if (port != 22 && port < 1025)
        {
            return Reply.Text("Error: The port number must be 22 or range from 1025 to 65535.");
        }

        // With a ghost listener the configuration still changes; the socket does not follow (reference incident).
        lock (c.Device.Gate)
        {
            c.Device.Running.SshPort = port;
        }

        return Reply.Empty();
    }

    private static Reply SshSource(CommandContext c)
    {
        if (c.Count == 0)
        {
            return c.Incomplete();
        }

        List<string> interfaces = [];
        if (CommandContext.IsPrefixOf(c[0], "all-interface"))
        {
            if (c.Count > 1)
            {
                return c.TooMany(1);
            }
        }
        else if (c[0] == "-i")
        {
            if (c.Count == 1)
            {
                return c.Incomplete();
            }

            var known = Locked(c.Device, () => c.Device.Running.Interfaces.Select(i => i.Name).ToList());
            for (var i = 1; i < c.Count; i++)
            {
                var name = known.FirstOrDefault(k => string.Equals(k, c[i], StringComparison.OrdinalIgnoreCase));
                if (name is null)
                {
                    return c.Wrong(i);
                }

                interfaces.Add(name);
            }
        }
        else
        {
            return c.NotRecognized(0);
        }

        var device = c.Device;
        return new Reply
        {
            Ask = new Question("Warning: SSH server source configuration will take effect in the next login. Continue? [Y/N]:", true, a =>
            {
                if (a == "y")
                {
                    lock (device.Gate)
                    {
                        device.Running.SshSourceAll = interfaces.Count == 0;
                        device.Running.SshSourceInterfaces.Clear();
                        device.Running.SshSourceInterfaces.AddRange(interfaces);
                    }
                }

                return Reply.Empty();
            }),
        };
    }

    private static Reply RouteStatic(CommandContext c, bool undo)
    {
        if (c.Count < (undo ? 2 : 3))
        {
            return c.Incomplete();
        }

        if (c.Count > 3)
        {
            return c.TooMany(3);
        }

        if (!Ip.TryParse(c[0], out var dest))
        {
            return c.Wrong(0);
        }

        if (!Ip.TryParseMaskOrLength(c[1], out var len))
        {
            return c.Wrong(1);
        }

        uint? nextHop = null;
        if (c.Count == 3)
        {
            if (!Ip.TryParse(c[2], out var nh) || nh == 0 || nh == uint.MaxValue)
            {
                return c.Wrong(2);
            }

            nextHop = nh;
        }

        var prefix = dest & Ip.Mask(len);
        lock (c.Device.Gate)
        {
            var routes = c.Device.Running.StaticRoutes;
            if (undo)
            {
                var removed = routes.RemoveAll(r => r.Prefix == prefix && r.PrefixLength == len && (nextHop is null || r.NextHop == nextHop));
                return removed == 0 ? Reply.Text("Error: The static route does not exist.") : Reply.Empty();
            }

            if (c.Device.Running.Interfaces.Any(i => i.Address == c[2]))
            {
                return Reply.Text("Error: The next hop address cannot be a local address.");
            }

            if (!routes.Any(r => r.Prefix == prefix && r.PrefixLength == len && r.NextHop == nextHop))
            {
                routes.Add(new StaticRoute(prefix, len, nextHop!.Value));
            }
        }

        return Reply.Empty();
    }

    private static Reply RsaCreate(CommandContext c)
    {
        if (c.Expect(0) is { } err)
        {
            return err;
        }

        var d = c.Device;
        var (exists, name) = Locked(d, () => (d.Key is not null, d.Running.SysName + "_Host"));
        var r = Reply.Text("The key name will be: " + name);
        if (!exists)
        {
            return AskBits(d).Prepend(r.Lines);
        }

        r.Lines.Add("% RSA keys defined for " + name + " already exist.");
        r.Ask = new Question("Confirm to replace them? [y/n]:", true, a => a == "y" ? AskBits(d) : Reply.Empty());
        return r;
    }

    private static Reply AskBits(VrpDevice d)
    {
        var r = Reply.Text(
            "The range of public key size is (512 ~ 2048).",
            "NOTES: If the key modulus is less than 2048,",
            "       It will introduce potential security risks.");
        r.Ask = new Question("Input the bits in the modulus[default = 2048]:", false, a =>
        {
            var bits = 2048;
            if (a.Length > 0 && (!int.TryParse(a, NumberStyles.None, Ci, out bits) || bits is < 512 or > 2048))
            {
                return Reply.Text("Error: The modulus is out of range.");
            }

            lock (d.Gate)
            {
                d.CreateKeyLocked(bits);
            }

            return Reply.Text("Generating keys...", ".........++++++++", "...............................++++++++", "....+++++++++", "...........+++++++++");
        });
        return r;
    }

    private static Reply RsaDestroy(CommandContext c)
    {
        if (c.Expect(0) is { } err)
        {
            return err;
        }

        var d = c.Device;
        var (exists, name) = Locked(d, () => (d.Key is not null, d.Running.SysName + "_Host"));
        if (!exists)
        {
            return Reply.Text(Displays.NoKeyText);
        }

        var r = Reply.Text("The key name will be: " + name);
        r.Ask = new Question("Confirm to destroy these keys? [y/n]:", true, a =>
        {
            if (a == "y")
            {
                lock (d.Gate)
                {
                    d.DestroyKeyLocked();
                }
            }

            return Reply.Empty();
        });
        return r;
    }

    private static Reply UserInterface(CommandContext c)
    {
        if (c.Count == 0)
        {
            return c.Incomplete();
        }

        if (c.Count > 2)
        {
            return c.TooMany(2);
        }

        if (!int.TryParse(c[0], NumberStyles.None, Ci, out var first) || first > 4)
        {
            return c.Wrong(0);
        }

        var last = first;
        if (c.Count == 2 && (!int.TryParse(c[1], NumberStyles.None, Ci, out last) || last > 4 || last < first))
        {
            return c.Wrong(1);
        }

        c.Session.VtyLabel = first == last ? string.Create(Ci, $"vty{first}") : string.Create(Ci, $"vty{first}-{last}");
        c.Session.View = View.Vty;
        return Reply.Empty();
    }

    private static Reply ProtocolInbound(CommandContext c)
    {
        if (c.Expect(1) is { } err)
        {
            return err;
        }

        var value = Pick(c[0], "ssh", "telnet", "all");
        if (value is null)
        {
            return c.Wrong(0);
        }

        lock (c.Device.Gate)
        {
            c.Device.Running.VtyProtocol = value;
        }

        return Reply.Empty();
    }

    private static Reply VtyAcl(CommandContext c)
    {
        if (c.Count < 2)
        {
            return c.Incomplete();
        }

        if (c.Count > 2)
        {
            return c.TooMany(2);
        }

        if (!int.TryParse(c[0], NumberStyles.None, Ci, out var n) || n is < 2000 or > 3999)
        {
            return c.Wrong(0);
        }

        if (!CommandContext.IsPrefixOf(c[1], "inbound"))
        {
            return c.Wrong(1);
        }

        lock (c.Device.Gate)
        {
            c.Device.Running.VtyAcl = n;
        }

        return Reply.Empty();
    }

    private static Reply AuthenticationMode(CommandContext c)
    {
        if (c.Expect(1) is { } err)
        {
            return err;
        }

        var mode = Pick(c[0], "aaa", "password", "none");
        if (mode is null)
        {
            return c.Wrong(0);
        }

        lock (c.Device.Gate)
        {
            c.Device.Running.VtyAuthentication = mode;
        }

        return Reply.Empty();
    }

    private static Reply EnterAcl(CommandContext c)
    {
        var i = c.Count > 0 && CommandContext.IsPrefixOf(c[0], "number") && !c[0].All(char.IsAsciiDigit) ? 1 : 0;
        if (c.Count <= i)
        {
            return c.Incomplete();
        }

        if (c.Count > i + 1)
        {
            return c.TooMany(i + 1);
        }

        if (!int.TryParse(c[i], NumberStyles.None, Ci, out var n) || n is < 2000 or > 2999)
        {
            return c.Wrong(i);
        }

        lock (c.Device.Gate)
        {
            c.Device.Running.Acls.TryAdd(n, []);
        }

        c.Session.AclNumber = n;
        c.Session.View = View.Acl;
        return Reply.Empty();
    }

    private static Reply Rule(CommandContext c)
    {
        var i = 0;
        int? id = null;
        if (c.Count > 0 && c[0].All(char.IsAsciiDigit))
        {
            if (!int.TryParse(c[0], NumberStyles.None, Ci, out var v) || v > 4294967)
            {
                return c.Wrong(0);
            }

            id = v;
            i = 1;
        }

        if (c.Count <= i)
        {
            return c.Incomplete();
        }

        var action = Pick(c[i], "permit", "deny");
        if (action is null)
        {
            return c.NotRecognized(i);
        }

        i++;
        uint? source = null;
        uint? wildcard = null;
        if (c.Count > i)
        {
            if (!CommandContext.IsPrefixOf(c[i], "source"))
            {
                return c.NotRecognized(i);
            }

            i++;
            if (c.Count <= i)
            {
                return c.Incomplete();
            }

            if (!CommandContext.IsPrefixOf(c[i], "any"))
            {
                if (!Ip.TryParse(c[i], out var src))
                {
                    return c.Wrong(i);
                }

                if (c.Count <= i + 1)
                {
                    return c.Incomplete();
                }

                uint wc = 0;
                if (c[i + 1] != "0" && !Ip.TryParse(c[i + 1], out wc))
                {
                    return c.Wrong(i + 1);
                }

                source = src & ~wc;
                wildcard = wc;
                i++;
            }

            i++;
        }

        if (c.Count > i)
        {
            return c.TooMany(i);
        }

        lock (c.Device.Gate)
        {
            var rules = c.Device.Running.Acls[c.Session.AclNumber];
            var ruleId = id ?? (rules.Count == 0 ? 5 : ((rules.Max(r => r.Id) / 5) + 1) * 5);
            rules.RemoveAll(r => r.Id == ruleId);
            rules.Add(new AclRule(ruleId, action == "permit", source, wildcard));
            rules.Sort((a, b) => a.Id.CompareTo(b.Id));
        }

        return Reply.Empty();
    }

    private static Reply UndoRule(CommandContext c)
    {
        if (c.Expect(1) is { } err)
        {
            return err;
        }

        if (!int.TryParse(c[0], NumberStyles.None, Ci, out var id))
        {
            return c.Wrong(0);
        }

        lock (c.Device.Gate)
        {
            var removed = c.Device.Running.Acls[c.Session.AclNumber].RemoveAll(r => r.Id == id);
            return removed == 0 ? Reply.Text("Error: The rule does not exist.") : Reply.Empty();
        }
    }

    private static Reply LocalUser(CommandContext c)
    {
        if (c.Count < 2)
        {
            return c.Incomplete();
        }

        var name = c[0];
        var d = c.Device;
        if (CommandContext.IsPrefixOf(c[1], "password"))
        {
            if (c.Count < 3)
            {
                return c.Incomplete();
            }

            if (!CommandContext.IsPrefixOf(c[2], "irreversible-cipher") && !CommandContext.IsPrefixOf(c[2], "cipher"))
            {
                return c.NotRecognized(2);
            }

            if (c.Count < 4)
            {
                return c.Incomplete();
            }

            if (c.Count > 4)
            {
                return c.TooMany(4);
            }

            lock (d.Gate)
            {
                var (user, created) = GetOrAdd(d.Running, name);
                user.Cipher = VrpConfig.CipherFor(name, c[3]);
                return created ? Reply.Text("Info: Add a new user.") : Reply.Empty();
            }
        }

        if (CommandContext.IsPrefixOf(c[1], "service-type"))
        {
            var types = new List<string>();
            for (var i = 2; i < c.Count; i++)
            {
                var t = Pick(c[i], "ssh", "telnet", "terminal", "ftp", "http");
                if (t is null)
                {
                    return c.Wrong(i);
                }

                types.Add(t);
            }

            if (types.Count == 0)
            {
                return c.Incomplete();
            }

            lock (d.Gate)
            {
                var (user, _) = GetOrAdd(d.Running, name);
                user.ServiceTypes.Clear();
                user.ServiceTypes.AddRange(types.Distinct());
            }

            return Reply.Empty();
        }

        if (CommandContext.IsPrefixOf(c[1], "privilege"))
        {
            if (c.Count < 4)
            {
                return c.Incomplete();
            }

            if (!CommandContext.IsPrefixOf(c[2], "level"))
            {
                return c.NotRecognized(2);
            }

            if (!int.TryParse(c[3], NumberStyles.None, Ci, out var level) || level > 15)
            {
                return c.Wrong(3);
            }

            lock (d.Gate)
            {
                GetOrAdd(d.Running, name).User.Level = level;
            }

            return Reply.Empty();
        }

        return c.NotRecognized(1);
    }

    private static (LocalUser User, bool Created) GetOrAdd(VrpConfig cfg, string name)
    {
        var user = cfg.Users.FirstOrDefault(u => string.Equals(u.Name, name, StringComparison.OrdinalIgnoreCase));
        if (user is not null)
        {
            return (user, false);
        }

        user = new LocalUser(name);
        cfg.Users.Add(user);
        return (user, true);
    }

    private static Reply UndoLocalUser(CommandContext c)
    {
        if (c.Expect(1) is { } err)
        {
            return err;
        }

        lock (c.Device.Gate)
        {
            var removed = c.Device.Running.Users.RemoveAll(u => string.Equals(u.Name, c[0], StringComparison.OrdinalIgnoreCase));
            return removed == 0 ? Reply.Text("Error: The user does not exist.") : Reply.Empty();
        }
    }
}
