package org.funtoo.amibuilder.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;

/**
 * The generated table of AWS's published API constraints: regenerated, never edited (it must equal what the
 * generator makes of the models and of the operations the simulation serves), and enforced on every request.
 */
class ApiConstraintsTest {
    /** AWS's models, beside the repository (see ApiConstraintsGenerator); another place with -Daws.api.models=. */
    private static final Path MODELS = Path.of(System.getProperty("aws.api.models", "../../shared/aws-api-models"));

    private static String committedTable() throws Exception {
        try (InputStream in = ApiConstraints.class.getResourceAsStream(ApiConstraints.TABLE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void tableIsExactlyWhatTheGeneratorMakesOfTheModels() throws Exception {
        assertTrue(Files.isDirectory(MODELS), "AWS's models are not beside this checkout, so the table cannot be checked"
                + " against them: expected " + MODELS.toAbsolutePath() + " (or -Daws.api.models=DIR)");
        assertEquals(ApiConstraintsGenerator.generate(MODELS), committedTable(),
                "api-constraints.json is stale or edited by hand: regenerate it (see ApiConstraintsGenerator)");
    }

    @Test
    void tableCoversExactlyTheOperationsTheSimulationServes() throws Exception {
        JsonNode services = new ObjectMapper().readTree(committedTable()).path("services");
        for (ApiConstraintsGenerator.Service service : ApiConstraintsGenerator.SERVICES) {
            Set<String> inTable = new TreeSet<>();
            services.path(service.name()).path("operations").fieldNames().forEachRemaining(inTable::add);
            assertEquals(ApiConstraintsGenerator.servedOperations(service.simClass()), inTable,
                    service.name() + ": regenerate api-constraints.json (see ApiConstraintsGenerator)");
        }
    }

    @Test
    void ec2RequestWithoutARequiredMemberIsRefusedWithMissingParameterAndCreatesNothing() {
        SimEc2Fixture f = new SimEc2Fixture();
        SimAws aws = f.aws;
        SimEc2Fixture.Network net = f.network();
        int instancesBefore = f.instanceIds().size();

        AwsServiceException e = assertThrows(AwsServiceException.class, () -> aws.ec2().runInstances(
                f.helperLaunch(net.subnetId, net.groupId).minCount(null).build()));

        assertEquals("MissingParameter", e.awsErrorDetails().errorCode());
        assertTrue(e.awsErrorDetails().errorMessage().contains("MinCount"), e.awsErrorDetails().errorMessage());
        assertTrue(last(aws).violatedApiConstraint());
        assertEquals(instancesBefore, f.instanceIds().size());
    }

    @Test
    void ec2ValueOutsideItsPublishedRangeIsRefusedWithInvalidParameterValue() {
        SimAws aws = new SimAws();
        AwsServiceException e = assertThrows(AwsServiceException.class,
                () -> aws.ec2().describeInstanceTypes(b -> b.maxResults(4)));
        assertEquals("InvalidParameterValue", e.awsErrorDetails().errorCode());
        assertTrue(last(aws).violatedApiConstraint());
    }

    @Test
    void ssmValueLongerThanItsModelAllowsIsAValidationExceptionNamingMemberAndConstraint() {
        SimAws aws = new SimAws();
        AwsServiceException e = assertThrows(AwsServiceException.class, () -> aws.ssm().putParameter(b -> b
                .name("/funtoo-ami-builder/x").value("v").type("String").description("d".repeat(1025))));
        assertEquals("ValidationException", e.awsErrorDetails().errorCode());
        assertEquals("1 validation error detected: Value '" + "d".repeat(1025) + "' at 'description' failed to"
                + " satisfy constraint: Member must have length less than or equal to 1024",
                e.awsErrorDetails().errorMessage());
        assertThrows(AwsServiceException.class, () -> aws.ssm().getParameter(b -> b.name("/funtoo-ami-builder/x")),
                "nothing was stored");
    }

    @Test
    void eventBridgeBatchOverTenEntriesIsRefused() {
        SimAws aws = new SimAws();
        PutEventsRequestEntry entry = PutEventsRequestEntry.builder().source("funtoo-ami-builder")
                .detailType("AMI Build Succeeded").detail("{}").build();
        AwsServiceException e = assertThrows(AwsServiceException.class, () -> aws.events().putEvents(b -> b
                .entries(java.util.Collections.nCopies(11, entry))));
        assertEquals("ValidationException", e.awsErrorDetails().errorCode());
        assertTrue(e.awsErrorDetails().errorMessage().contains("at 'entries'"), e.awsErrorDetails().errorMessage());
    }

    @Test
    void enumValueTheModelDoesNotListIsRefused() {
        SimAws aws = new SimAws();
        AwsServiceException e = assertThrows(AwsServiceException.class, () -> aws.ssm().putParameter(b -> b
                .name("/funtoo-ami-builder/x").value("v").type("Text")));
        assertEquals("ValidationException", e.awsErrorDetails().errorCode());
        assertTrue(e.awsErrorDetails().errorMessage().contains("Member must satisfy enum value set"),
                e.awsErrorDetails().errorMessage());
    }

    private static CallLog.Call last(SimAws aws) {
        var all = aws.calls().all();
        return all.get(all.size() - 1);
    }
}
