using System.Collections.Immutable;
using System.Text;

namespace TinySwap.Config;

/// <summary>Outcome of splitting a command: the argv, or why it cannot be split (with a 1-based line/column in the text).</summary>
internal sealed record CommandSplit(ImmutableArray<string> Arguments, string? Error, int Line, int Column)
{
    /// <summary>Unquoted words starting with '#' after other words on a line: passed literally (llama-swap does the same), worth a warning.</summary>
    public ImmutableArray<(int Line, int Column)> HashWords { get; init; } = [];

    public bool Succeeded => Error is null;
}

/// <summary>
/// Splits `cmd`/`cmdStop` into argv the way llama-swap does (drop whole-line `#` comments, then POSIX shell word
/// rules), without ever running a shell: single quotes are literal; in double quotes a backslash escapes only
/// <c>$ ` " \</c> and newline; elsewhere it escapes any character. A backslash ending a line (optionally followed
/// by blanks) continues the command and separates words, matching llama-swap's handling of `\`-continued lines.
/// A `#` after arguments is not a comment: the shell would drop it, llama-swap passes it on, so do we (and warn).
/// Unlike llama-swap's lenient splitter, an unterminated quote is an error.
/// </summary>
internal static class CommandLineSplitter
{
    public static CommandSplit Split(string command)
    {
        var text = WithoutCommentLines(command);
        var arguments = ImmutableArray.CreateBuilder<string>();
        var hashWords = ImmutableArray.CreateBuilder<(int, int)>();
        var word = new StringBuilder();
        var inWord = false;
        var line = 1;
        var lineStart = 0;
        var wordsOnLine = 0;

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case ' ' or '\t' or '\r' or '\n':
                    EndWord();
                    if (c == '\n')
                        NewLine(i);
                    break;

                case '\'':
                {
                    var close = text.IndexOf('\'', i + 1);
                    if (close < 0)
                        return Unterminated("single", i);
                    StartWord();
                    word.Append(text, i + 1, close - i - 1);
                    for (var j = i + 1; j < close; j++)
                    {
                        if (text[j] == '\n')
                            NewLine(j);
                    }
                    i = close;
                    break;
                }

                case '"':
                {
                    StartWord();
                    var openLine = line;
                    var openColumn = i - lineStart + 1;
                    for (i++; i < text.Length && text[i] != '"'; i++)
                    {
                        if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] is '$' or '`' or '"' or '\\' or '\n')
                        {
                            i++;
                            if (text[i] == '\n')
                                NewLine(i);
                            else
                                word.Append(text[i]);
                            continue;
                        }
                        if (text[i] == '\n')
                            NewLine(i);
                        word.Append(text[i]);
                    }
                    if (i >= text.Length)
                        return new([], "unterminated double quote", openLine, openColumn);
                    break;
                }

                case '\\':
                {
                    var rest = RestOfLine(text, i + 1);
                    if (rest.IsWhiteSpace())
                    {
                        // Line continuation: the newline (and any blanks before it) separate words.
                        EndWord();
                        i += rest.Length;
                        break;
                    }
                    StartWord();
                    i++;
                    word.Append(text[i]);
                    break;
                }

                default:
                    if (!inWord && c == '#' && wordsOnLine > 0)
                        hashWords.Add((line, i - lineStart + 1));
                    StartWord();
                    word.Append(c);
                    break;
            }
        }
        EndWord();
        return new(arguments.ToImmutable(), null, 0, 0) { HashWords = hashWords.ToImmutable() };

        void StartWord() => inWord = true;

        void EndWord()
        {
            if (!inWord)
                return;
            arguments.Add(word.ToString());
            word.Clear();
            inWord = false;
            wordsOnLine++;
        }

        void NewLine(int at)
        {
            line++;
            lineStart = at + 1;
            wordsOnLine = 0;
        }

        CommandSplit Unterminated(string kind, int at) => new([], $"unterminated {kind} quote", line, at - lineStart + 1);
    }

    /// <summary>Blanks out lines whose first non-blank character is '#', keeping line numbers for error positions.</summary>
    public static string WithoutCommentLines(string command)
    {
        if (!command.Contains('#'))
            return command;
        var lines = command.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].AsSpan().TrimStart().StartsWith("#"))
                lines[i] = "";
        }
        return string.Join('\n', lines);
    }

    private static ReadOnlySpan<char> RestOfLine(string text, int from)
    {
        var end = text.IndexOf('\n', from);
        return text.AsSpan(from, (end < 0 ? text.Length : end) - from);
    }
}
