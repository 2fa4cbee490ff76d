// libc calls come from Tmds.LibC (Tmds.Linux.LibC, checked against the headers by its own tests) under the name
// Sys, with the few of its structs we use. TinySwap.Native.LibC keeps the calls Tmds.LibC 0.5.0 lacks and our
// constants: C# `const` (Tmds.LibC has properties, which `switch` patterns cannot use), each checked against the
// system headers by tests/TinySwap.Tests/Native.
global using Sys = Tmds.Linux.LibC;
global using PollFd = Tmds.Linux.pollfd;
global using SigAction = Tmds.Linux.sigaction;
global using SigSet = Tmds.Linux.sigset_t;
global using SockAddr = Tmds.Linux.sockaddr;
global using SockAddrIn = Tmds.Linux.sockaddr_in;
global using SockAddrIn6 = Tmds.Linux.sockaddr_in6;
