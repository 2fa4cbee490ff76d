// libc calls come from Tmds.LibC (Tmds.Linux.LibC, checked against the headers by its own tests) under the name
// Sys, with the few of its structs we use; TinySwap.Native.LibC keeps only what Tmds.LibC 0.5.0 lacks, plus the
// constants we need as C# `const` (Tmds.LibC has them as properties, which `switch` patterns cannot use).
global using Sys = Tmds.Linux.LibC;
global using PollFd = Tmds.Linux.pollfd;
global using SigAction = Tmds.Linux.sigaction;
global using SigSet = Tmds.Linux.sigset_t;
global using SockAddr = Tmds.Linux.sockaddr;
global using SockAddrIn = Tmds.Linux.sockaddr_in;
global using SockAddrIn6 = Tmds.Linux.sockaddr_in6;
