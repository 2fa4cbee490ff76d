using System.Text;
using Microsoft.Extensions.Logging;

namespace TinySwap.Observability;

/// <summary>
/// Lines formatted in place into a shared buffer and written by one thread, a batch at a time. A request thread only
/// copies characters under a short lock; the writer thread is woken once per batch (when the first line of a batch
/// arrives) and then waits <c>coalesce</c> before taking the batch, so under load one write(2) and one wake-up carry
/// hundreds of lines instead of one each. A line is late by at most that wait; none is lost at exit (Dispose drains).
/// Memory is bounded: past <see cref="MaxPendingChars"/> waiting, lines are dropped and counted, never queued without end.
/// </summary>
internal sealed class LineBatchWriter : IDisposable
{
    /// <summary>Characters waiting to be written before new lines are dropped (a stdout nobody reads, say).</summary>
    public const int MaxPendingChars = 256 * 1024;

    private readonly record struct LineMark(int MessageStart, int End, LogLevel Level);

    private readonly object _gate = new();
    private readonly Stream _output;
    private readonly object _outputLock;
    private byte[] _bytes = new byte[8 * 1024];
    private readonly TimeSpan _coalesce;
    private readonly Action<LogLevel, ReadOnlySpan<char>> _tap;
    private readonly Thread _thread;
    private Batch _pending = new();
    private Batch _writing = new();
    private int _lineStart;
    private long _dropped;
    private long _droppedReported; // the writer thread's own
    private bool _stopping;

    /// <param name="output">Where batches go as UTF-8, one Write each (stdout).</param>
    /// <param name="outputLock">Held around each write: the lock of any other writer to the same place (Console.Out, whose
    /// synchronized methods lock the writer itself), so our batch never lands inside one of its lines.</param>
    /// <param name="tap">Told each line's message (the part after the prefix, without the newline), on the writer thread.</param>
    public LineBatchWriter(Stream output, object outputLock, TimeSpan coalesce, Action<LogLevel, ReadOnlySpan<char>> tap)
    {
        _output = output;
        _outputLock = outputLock;
        _coalesce = coalesce;
        _tap = tap;
        _thread = new Thread(Run) { IsBackground = true, Name = "access log" };
        _thread.Start();
    }

    /// <summary>Lines dropped because the writer fell <see cref="MaxPendingChars"/> behind.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>
    /// Room for one line of at most <paramref name="maxChars"/> characters, empty when the batch is full. Holds the
    /// batch's lock until <see cref="EndLine"/>, which the caller must reach (try/finally).
    /// </summary>
    public Span<char> BeginLine(int maxChars)
    {
        Monitor.Enter(_gate);
        var batch = _pending;
        if (batch.Length + maxChars > MaxPendingChars)
            return default;
        batch.Reserve(maxChars);
        _lineStart = batch.Length;
        return batch.Chars.AsSpan(batch.Length, maxChars);
    }

    /// <summary>Commits the first <paramref name="length"/> characters of the line (0: nothing, counted as dropped) and releases the lock.</summary>
    public void EndLine(int length, int messageStart, LogLevel level)
    {
        try
        {
            if (length == 0)
            {
                _dropped++;
                return;
            }
            var batch = _pending;
            var wasEmpty = batch.Length == 0;
            batch.Add(new LineMark(_lineStart + messageStart, _lineStart + length, level), length);
            // Only the first line of a batch wakes the writer; the rest ride along.
            if (wasEmpty)
                Monitor.Pulse(_gate);
        }
        finally
        {
            Monitor.Exit(_gate);
        }
    }

    private void Run()
    {
        while (true)
        {
            bool stopping;
            lock (_gate)
            {
                while (_pending.Length == 0 && !_stopping)
                    Monitor.Wait(_gate);
                // Let the batch gather (Monitor.Wait rather than a sleep, so Dispose cuts it short).
                if (!_stopping && _coalesce > TimeSpan.Zero)
                    Monitor.Wait(_gate, _coalesce);
                stopping = _stopping;
                (_pending, _writing) = (_writing, _pending);
            }
            Write(_writing);
            _writing.Clear();
            if (stopping)
            {
                lock (_gate)
                {
                    if (_pending.Length == 0)
                        return;
                }
            }
        }
    }

    private void Write(Batch batch)
    {
        if (batch.Length == 0)
            return;
        // One write(2) per batch: through Console.Out (a 256-byte buffer for stdout) a batch left in hundreds of pieces.
        var text = batch.Chars.AsSpan(0, batch.Length);
        var dropped = Dropped;
        var note = dropped == _droppedReported ? "" : $"{dropped - _droppedReported} log lines dropped: stdout did not keep up\n";
        _droppedReported = dropped;
        var needed = Encoding.UTF8.GetByteCount(text) + note.Length;
        if (_bytes.Length < needed)
            _bytes = new byte[Math.Max(needed, _bytes.Length * 2)];
        var length = Encoding.UTF8.GetBytes(text, _bytes);
        length += Encoding.ASCII.GetBytes(note, _bytes.AsSpan(length));
        try
        {
            lock (_outputLock)
            {
                _output.Write(_bytes, 0, length);
                _output.Flush();
            }
        }
        catch (IOException)
        {
            // stdout gone (a closed pipe): the log book below still gets the lines.
        }
        foreach (var mark in batch.Marks)
            _tap(mark.Level, batch.Chars.AsSpan(mark.MessageStart, mark.End - 1 - mark.MessageStart));
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _stopping = true;
            Monitor.Pulse(_gate);
        }
        _thread.Join();
    }

    /// <summary>Characters of whole lines and where each line's message lies in them; reused batch after batch.</summary>
    private sealed class Batch
    {
        private LineMark[] _marks = new LineMark[64];
        private int _count;

        public char[] Chars { get; private set; } = new char[8 * 1024];
        public int Length { get; private set; }
        public ReadOnlySpan<LineMark> Marks => _marks.AsSpan(0, _count);

        public void Reserve(int chars)
        {
            if (Length + chars > Chars.Length)
            {
                var grown = new char[Math.Max(Chars.Length * 2, Length + chars)];
                Chars.AsSpan(0, Length).CopyTo(grown);
                Chars = grown;
            }
        }

        public void Add(LineMark mark, int length)
        {
            if (_count == _marks.Length)
                Array.Resize(ref _marks, _count * 2);
            _marks[_count++] = mark;
            Length += length;
        }

        public void Clear()
        {
            Length = 0;
            _count = 0;
        }
    }
}
