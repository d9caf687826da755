using System.Runtime.Versioning;

// The lab these tests start is made of Linux pieces (OpenSSH sshd, network namespaces, useradd).
[assembly: SupportedOSPlatform("linux")]
