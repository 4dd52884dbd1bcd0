package org.funtoo.amibuilder.cdk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Java sources of the repository's modules ({@code <module>/src/main/java}, {@code <module>/src/test/java}),
 * read as a newcomer's grep reads them: which string literals a file holds, which identifiers it declares.
 */
final class JavaSources {
    private static final Pattern ENUM = Pattern.compile("\\benum\\s+\\w+");

    /** One source file: where it is (relative to the repository root), its text, its string literals. */
    record Source(Path path, String text, Set<String> literals) {
        String simpleName() {
            String file = path.getFileName().toString();
            return file.substring(0, file.length() - ".java".length());
        }

        boolean isTestClass() {
            return simpleName().endsWith("Test");
        }

        /** {@code word} as a whole Java identifier anywhere in the file (code, comments or strings). */
        boolean mentions(String word) {
            return Pattern.compile("(?<![\\w$])" + Pattern.quote(word) + "(?![\\w$])").matcher(text).find();
        }

        /** An enum is declared here and {@code constant} is one of its identifiers (a generated state's source). */
        boolean declaresEnumWith(String constant) {
            return ENUM.matcher(text).find() && mentions(constant);
        }
    }

    private final List<Source> main;
    private final List<Source> test;

    private JavaSources(List<Source> main, List<Source> test) {
        this.main = main;
        this.test = test;
    }

    static JavaSources of(Path root) {
        return new JavaSources(read(root, "main"), read(root, "test"));
    }

    List<Source> main() {
        return main;
    }

    List<Source> test() {
        return test;
    }

    private static List<Source> read(Path root, String scope) {
        List<Source> sources = new ArrayList<>();
        try (Stream<Path> modules = Files.list(root)) {
            for (Path module : modules.sorted().toList()) {
                Path dir = module.resolve("src").resolve(scope).resolve("java");
                if (!Files.isDirectory(dir) || module.getFileName().toString().equals("node_modules")) {
                    continue;
                }
                try (Stream<Path> files = Files.walk(dir)) {
                    for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                        String text = Files.readString(file);
                        sources.add(new Source(root.relativize(file), text, literals(text)));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return List.copyOf(sources);
    }

    /**
     * The contents of the ordinary string literals of a Java file ({@code "..."}), escapes kept as written;
     * comments, character literals and text blocks are skipped.
     */
    static Set<String> literals(String text) {
        Set<String> literals = new LinkedHashSet<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == '/' && i + 1 < n && text.charAt(i + 1) == '/') {
                i = endOf(text, "\n", i + 2);
            } else if (c == '/' && i + 1 < n && text.charAt(i + 1) == '*') {
                i = endOf(text, "*/", i + 2);
            } else if (text.startsWith("\"\"\"", i)) {
                i = closing(text, "\"\"\"", i + 3);
            } else if (c == '"') {
                int end = closing(text, "\"", i + 1);
                literals.add(text.substring(i + 1, end - 1));
                i = end;
            } else if (c == '\'') {
                i = closing(text, "'", i + 1);
            } else {
                i++;
            }
        }
        return literals;
    }

    private static int endOf(String text, String terminator, int from) {
        int at = text.indexOf(terminator, from);
        return at < 0 ? text.length() : at + terminator.length();
    }

    /** The index after the unescaped {@code quote} that closes a literal begun before {@code from}. */
    private static int closing(String text, String quote, int from) {
        int i = from;
        while (i < text.length()) {
            if (text.charAt(i) == '\\') {
                i += 2;
            } else if (text.startsWith(quote, i)) {
                return i + quote.length();
            } else {
                i++;
            }
        }
        return text.length();
    }
}
