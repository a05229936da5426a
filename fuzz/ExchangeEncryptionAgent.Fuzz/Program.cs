using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using ExchangeEncryptionAgent.Fuzz;
using ExchangeEncryptionAgent.Tool.Demo;

// ExchangeEncryptionAgent.Fuzz TARGET                 under afl-fuzz (input on stdin; fuzz/run.sh)
// ExchangeEncryptionAgent.Fuzz replay TARGET PATH...  runs files (or every file of folders) once each
// ExchangeEncryptionAgent.Fuzz make-pki DIR           writes the test PKI (fuzz/make-corpus.sh)
// Instrumented code (fuzz/run.sh) writes every branch into SharpFuzz's coverage map, which is null until
// Fuzzer.Run attaches afl's shared memory: the set-up below and replay runs would crash on it. Scratch memory until then.
unsafe
{
    SharpFuzz.Common.Trace.SharedMem = (byte*)NativeMemory.AllocZeroed(1 << 16);
}

if (args.Length == 2 && args[0] == "make-pki")
{
    DemoPki.Create(args[1]);
    return 0;
}

var replay = args.Length >= 3 && args[0] == "replay";
var name = replay ? args[1] : args.Length == 1 ? args[0] : null;
if (name is null || !FuzzTargets.Names.Contains(name))
{
    Console.Error.WriteLine($"usage: ExchangeEncryptionAgent.Fuzz TARGET | replay TARGET PATH... | make-pki DIR   (targets: {string.Join(", ", FuzzTargets.Names)})");
    return 2;
}

using var fixture = FuzzFixture.Create(FuzzFixture.DefaultSource);
var target = FuzzTargets.Create(name, fixture)!;
try
{
    if (!replay)
    {
        SharpFuzz.Fuzzer.OutOfProcess.Run(stream =>
        {
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            target.Run(buffer.ToArray());
        });
        return 0;
    }

    var failed = 0;
    var files = args.Skip(2).SelectMany<string, string>(p => Directory.Exists(p) ? Directory.GetFiles(p, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal) : new[] { p });
    foreach (var file in files)
    {
        try
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            target.Run(File.ReadAllBytes(file));
            Console.WriteLine($"ok    {System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds,7:0.0} ms  {file}");
        }
#pragma warning disable CA1031 // Replay reports every input's failure and goes on to the next.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            failed++;
            Console.WriteLine($"FAIL  {file}: {ex}");
        }
    }

    return failed == 0 ? 0 : 1;
}
finally
{
    (target as IDisposable)?.Dispose();
}
