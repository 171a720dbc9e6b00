package io.smwm.spark.cli;

import io.smwm.data.table.TableValidator;
import io.smwm.data.table.ValidationReport;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code smwm validate}: check a table's schema and content; exit 1 if any problem is found. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check a trajectory table's schema, metadata and content; lists every problem; exit code 1 if any.")
final class ValidateCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "PATH", description = "The table directory.")
    String path;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Override
    public Integer call() {
        ValidationReport report = new TableValidator().validate(path);
        System.out.println(json ? report.toJson() : report.format());
        return report.ok() ? 0 : 1;
    }
}
