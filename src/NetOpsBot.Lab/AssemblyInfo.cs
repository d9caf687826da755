using System.Runtime.Versioning;

// The lab is made of Linux pieces: OpenSSH sshd, Unix sockets, /proc, useradd.
[assembly: SupportedOSPlatform("linux")]
