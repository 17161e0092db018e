/** Every service's API description, built as the service builds it, without starting anything. */
import { inventoryAccess } from "@fulfillment/inventory/access";
import { inventoryApiDocs } from "@fulfillment/inventory/api-docs";
import { orderAccess } from "@fulfillment/order/access";
import { orderApiDocs } from "@fulfillment/order/api-docs";
import { prescriptionAccess } from "@fulfillment/prescription/access";
import { prescriptionApiDocs } from "@fulfillment/prescription/api-docs";
import { apiDocument, type OpenApiDocument } from "@fulfillment/runtime";
import { sagaAccess } from "@fulfillment/saga-tracker/access";
import { sagaApiDocs } from "@fulfillment/saga-tracker/api-docs";
import { shipmentAccess } from "@fulfillment/shipment/access";
import { shipmentApiDocs } from "@fulfillment/shipment/api-docs";
import type { ServiceName } from "./system.js";

export const apiDocuments = (): Record<ServiceName, OpenApiDocument> => ({
  order: apiDocument(orderAccess, orderApiDocs),
  prescription: apiDocument(prescriptionAccess, prescriptionApiDocs),
  inventory: apiDocument(inventoryAccess, inventoryApiDocs),
  shipment: apiDocument(shipmentAccess, shipmentApiDocs),
  "saga-tracker": apiDocument(sagaAccess, sagaApiDocs),
});
