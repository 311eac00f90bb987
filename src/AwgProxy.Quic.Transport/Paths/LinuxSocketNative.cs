using System.Runtime.InteropServices;

namespace AwgProxy.Quic.Transport.Paths;

/// <summary>
/// The few Linux socket calls and constants the UDP path uses beyond <see cref="System.Net.Sockets.Socket"/>:
/// <c>recvmmsg</c> (many datagrams, each with its ancillary data, in one call) and the option numbers of UDP GRO,
/// ECN and forced buffer sizes (include/uapi/linux/udp.h, in.h, in6.h, asm-generic/socket.h). Layouts are those
/// of 64-bit Linux (x86-64 and arm64), the only targets the native receive path is enabled on.
/// </summary>
internal static class LinuxSocketNative
{
    public const int SolSocket = 1;
    public const int SoSndBufForce = 32;
    public const int SoRcvBufForce = 33;

    public const int IpProtoIp = 0;
    public const int IpTos = 1;
    public const int IpRecvTos = 13;

    public const int IpProtoIpv6 = 41;
    public const int Ipv6RecvTClass = 66;
    public const int Ipv6TClass = 67;

    public const int SolUdp = 17;
    public const int UdpGro = 104;

    public const int MsgCTrunc = 0x08;
    public const int MsgTrunc = 0x20;
    public const int MsgDontWait = 0x40;

    public const int EIntr = 4;
    public const int EAgain = 11;

    /// <summary>
    /// errno values a receive may report that end nothing: ENETUNREACH (101), ECONNRESET (104), EMSGSIZE (90),
    /// ECONNREFUSED (111), EHOSTUNREACH (113), mostly ICMP errors queued on the socket.
    /// </summary>
    public static bool IsTransientReceiveError(int errno) => errno is 90 or 101 or 104 or 111 or 113;

    /// <summary>
    /// <c>struct mmsghdr</c>: a <c>struct msghdr</c> (56 bytes: msg_name at 0, msg_namelen at 8, msg_iov at 16,
    /// msg_iovlen at 24, msg_control at 32, msg_controllen at 40, msg_flags at 48) and msg_len at 56, padded to 64.
    /// </summary>
    public const int MMsgHdrSize = 64;
    public const int MsgNameOffset = 0;
    public const int MsgNameLenOffset = 8;
    public const int MsgIovOffset = 16;
    public const int MsgIovLenOffset = 24;
    public const int MsgControlOffset = 32;
    public const int MsgControlLenOffset = 40;
    public const int MsgFlagsOffset = 48;
    public const int MsgLenOffset = 56;

    /// <summary><c>struct iovec</c>: iov_base, iov_len.</summary>
    public const int IovecSize = 16;

    /// <summary><c>struct cmsghdr</c>: cmsg_len (size_t), cmsg_level, cmsg_type; data follows at 16, entries align to 8.</summary>
    public const int CmsgHeaderSize = 16;

    /// <summary>Whether this process can use the layouts above.</summary>
    public static bool IsSupportedPlatform =>
        OperatingSystem.IsLinux() && Environment.Is64BitProcess
        && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64;

    /// <summary><c>int recvmmsg(int sockfd, struct mmsghdr *msgvec, unsigned int vlen, int flags, struct timespec *timeout)</c>.</summary>
    [DllImport("libc", EntryPoint = "recvmmsg", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern int RecvMMsg(IntPtr socket, IntPtr messages, uint count, int flags, IntPtr timeout);

    /// <summary><c>poll()</c> events: data to read (POLLIN), and the reports poll sets by itself (POLLERR, POLLHUP, POLLNVAL).</summary>
    public const short PollIn = 0x001;

    /// <summary><c>struct pollfd</c>: fd, events, revents.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    /// <summary><c>int poll(struct pollfd *fds, nfds_t nfds, int timeout)</c>.</summary>
    [DllImport("libc", EntryPoint = "poll", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern int Poll(ref PollFd fds, nuint count, int timeoutMilliseconds);
}
