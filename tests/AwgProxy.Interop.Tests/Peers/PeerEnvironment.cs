using System.Net;
using System.Net.Sockets;

namespace AwgProxy.Interop.Tests.Peers;

/// <summary>
/// Where the independent QUIC peers and their files are: the repository root (the directory holding
/// <c>AwgProxy.slnx</c>), the shared folder next to it (<c>../shared/interop</c>: certificates and quicgo-peer's
/// sources), and the peers' executables on PATH. A missing peer fails the test with what to install: CI installs
/// them (<c>.ci/run</c>), so a skip would hide a broken interop matrix.
/// </summary>
internal static class PeerEnvironment
{
    private static readonly Lazy<string> s_repositoryRoot = new(FindRepositoryRoot);

    public static string RepositoryRoot => s_repositoryRoot.Value;

    /// <summary><c>../shared/interop</c> from the repository root.</summary>
    public static string InteropDirectory
    {
        get
        {
            string directory = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "interop"));
            if (!Directory.Exists(directory)) Assert.Fail($"The shared interop folder {directory} is missing (expected ../shared/interop next to the repository).");
            return directory;
        }
    }

    /// <summary>The throwaway ECDSA P-256 certificate the peers serve (for these tests only).</summary>
    public static string CertificatePath => Path.Combine(InteropDirectory, "certs", "cert.pem");

    public static string PrivateKeyPath => Path.Combine(InteropDirectory, "certs", "key.pem");

    /// <summary>The full path of <paramref name="name"/> on PATH; fails the test naming the Debian package when absent.</summary>
    public static string RequireExecutable(string name, string package)
    {
        foreach (string directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(directory, name);
            if (File.Exists(candidate)) return candidate;
        }

        foreach (string directory in new[] { "/usr/bin", "/usr/sbin", "/usr/local/bin" })
        {
            string candidate = Path.Combine(directory, name);
            if (File.Exists(candidate)) return candidate;
        }

        Assert.Fail($"The interop peer '{name}' is not installed: apt-get install {package} (CI installs it in .ci/run).");
        return name;
    }

    /// <summary>A UDP port on 127.0.0.1 that was free a moment ago (for peers that cannot bind port 0 and report it).</summary>
    public static int FreeUdpPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>Waits until some process has bound UDP <paramref name="port"/> on 127.0.0.1 (our own bind then fails).</summary>
    public static async Task WaitForUdpListenerAsync(int port, PeerProcess owner, TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
            {
                try
                {
                    probe.Bind(new IPEndPoint(IPAddress.Loopback, port));
                }
                catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
                {
                    return;
                }
            }

            if (owner.HasExited) Assert.Fail($"{owner.Name} exited before listening on port {port}:\n{owner.Output}");
            if (DateTime.UtcNow > deadline) Assert.Fail($"{owner.Name} did not bind UDP port {port} within {timeout.TotalSeconds:0} s:\n{owner.Output}");
            await Task.Delay(20);
        }
    }

    private static string FindRepositoryRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "AwgProxy.slnx"))) return directory.FullName;
        }

        throw new InvalidOperationException($"No AwgProxy.slnx above {AppContext.BaseDirectory}.");
    }
}
