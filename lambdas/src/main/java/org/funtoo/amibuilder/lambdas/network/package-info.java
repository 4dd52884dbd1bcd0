/**
 * Stage 2, the network the helper and the test instance run in: either the caller's subnet and security group,
 * checked ({@code CheckExistingNetworkHandler}), or a temporary network of this build ({@code Network} says which).
 *
 * <p>Creates, each next to its delete: VPC ({@code CreateVpcHandler} / {@code DeleteVpcHandler}), subnet
 * ({@code CreateSubnetHandler} / {@code DeleteSubnetHandler}), internet gateway ({@code CreateInternetGatewayHandler} /
 * {@code DeleteInternetGatewayHandler}), route table ({@code CreateRouteTableHandler} / {@code DeleteRouteTableHandler}),
 * security group ({@code CreateSecurityGroupHandler} / {@code DeleteSecurityGroupHandler}). Teardown deletes them in
 * the reverse dependency order the cleanup chain fixes: security group, internet gateway, subnet, route table, VPC.
 * The caller's own network is never touched.
 */
package org.funtoo.amibuilder.lambdas.network;
